"""schema.org structured data (JSON-LD) for question, law, article and lawyer pages.

Builders take the objects the page already loaded (no query of their own) and `absolute`, a
function turning a site path into an absolute URL. Text is the stored public text, masked when
it was written (privacy.masking): never anything the page does not show. An anonymous asker is
匿名用户 here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from lawqa.lawyers.models import LawyerProfile
from lawqa.questions.models import Answer, Question
from lawqa.statutes.models import Article, Law

Absolute = Callable[[str], str]
CONTEXT = "https://schema.org"
# schema.org LegalForceStatus for the library's 时效性.
LEGAL_FORCE = {
    Law.Status.CURRENT: "https://schema.org/InForce",
    Law.Status.REVISED: "https://schema.org/NotInForce",
    Law.Status.REPEALED: "https://schema.org/NotInForce",
}
# The characters that could end or confuse a <script> element, escaped as django.utils.html.json_script does.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element: a data block, which a browser never runs,
    so it needs no CSP exception. Chinese stays readable (3 bytes a character, not 6)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_ESCAPES))
    )


# ---------------------------------------------------------------- questions


def asker_person(question: Question) -> dict:
    return {"@type": "Person", "name": question.asker_display}


def lawyer_person(answer: Answer, absolute: Absolute) -> dict:
    profile: LawyerProfile | None = getattr(answer.lawyer, "lawyer_profile", None)
    if profile is None:
        return {"@type": "Person", "name": answer.lawyer.display_name}
    person = {"@type": "Person", "name": profile.real_name}
    if profile.is_verified:
        person |= {"url": absolute(profile.get_absolute_url()), "jobTitle": "执业律师"}
    return person


def answer_data(answer: Answer, question_url: str, absolute: Absolute) -> dict:
    return {
        "@type": "Answer",
        "text": answer.body,
        "dateCreated": answer.created_at,
        "upvoteCount": answer.helpful_count,
        "url": f"{question_url}#answer-{answer.pk}",
        "author": lawyer_person(answer, absolute),
    }


def question_page(question: Question, answers: Iterable[Answer], absolute: Absolute) -> dict:
    """QAPage: the question with its accepted answer and the other visible answers."""
    url = absolute(question.get_absolute_url())
    shown = [a for a in answers if not a.is_hidden]
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": question.detail or question.title,
        "answerCount": len(shown),
        "dateCreated": question.created_at,
        "author": asker_person(question),
        "url": url,
        "about": {"@type": "Thing", "name": question.category.name},
    }
    accepted = [answer_data(a, url, absolute) for a in shown if a.is_accepted]
    suggested = [answer_data(a, url, absolute) for a in shown if not a.is_accepted]
    if accepted:
        entity["acceptedAnswer"] = accepted[0]
    if suggested:
        entity["suggestedAnswer"] = suggested
    return {"@context": CONTEXT, "@type": "QAPage", "mainEntity": entity}


# ---------------------------------------------------------------- statutes


def law_identifier(law: Law) -> str:
    """A readable identifier of one version of a law: its full title and version date."""
    return f"{law.title}（{law.version}）" if law.version else law.title


def _legislation(law: Law) -> dict:
    data = {
        "@type": "Legislation",
        "legislationLegalForce": LEGAL_FORCE.get(law.status, "https://schema.org/NotInForce"),
        "legislationType": law.level,
        "legislationJurisdiction": "CN",
        "inLanguage": "zh-CN",
    }
    if law.promulgated_on:
        data["legislationDate"] = law.promulgated_on
    if law.repealed_on:
        data["expires"] = law.repealed_on
    return data


def law_page(law: Law, absolute: Absolute) -> dict:
    data = {
        "@context": CONTEXT,
        **_legislation(law),
        "name": law.title,
        "legislationIdentifier": law_identifier(law),
        "url": absolute(law.get_absolute_url()),
    }
    if law.name != law.title:
        data["alternateName"] = law.name
    return data


def article_page(article: Article, absolute: Absolute) -> dict:
    law = article.law
    return {
        "@context": CONTEXT,
        **_legislation(law),
        "name": f"《{law.title}》{article.label}",
        "legislationIdentifier": f"{law_identifier(law)}{article.label}",
        "url": absolute(article.get_absolute_url()),
        "text": article.text,
        "isPartOf": {
            "@type": "Legislation",
            "name": law.title,
            "legislationIdentifier": law_identifier(law),
            "url": absolute(law.get_absolute_url()),
        },
    }


# ---------------------------------------------------------------- lawyers


def lawyer_page(profile: LawyerProfile, areas: Iterable, absolute: Absolute) -> dict:
    """ProfilePage of a verified lawyer: a Person with the practice areas they know about."""
    person = {
        "@type": "Person",
        "name": profile.real_name,
        "jobTitle": "执业律师",
        "url": absolute(profile.get_absolute_url()),
        "worksFor": {"@type": "Organization", "name": profile.firm},
        "address": {
            "@type": "PostalAddress",
            "addressRegion": profile.province,
            "addressLocality": profile.city,
            "addressCountry": "CN",
        },
        "knowsAbout": [
            {"@type": "Thing", "name": area.name, "url": absolute(area.get_absolute_url())} for area in areas
        ],
    }
    return {"@context": CONTEXT, "@type": "ProfilePage", "mainEntity": person}
