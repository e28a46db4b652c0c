"""JSON-LD on question, law, article and lawyer pages, checked against the database."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from lawqa.lawyers.models import LawyerProfile
from lawqa.moderation import services as moderation_services
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer
from lawqa.statutes.models import Article

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
BASE = "http://testserver"


def json_ld(client, url: str) -> dict:
    """The one JSON-LD block of the page at `url`."""
    response = client.get(url)
    assert response.status_code == 200
    blocks = LD_JSON.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _same_time(value: str, expected: dt.datetime) -> bool:
    return abs(_when(value) - expected) < dt.timedelta(milliseconds=1)


def _check_answer(data: dict, answer: Answer, question_url: str) -> None:
    profile = LawyerProfile.objects.get(user=answer.lawyer)
    assert data["@type"] == "Answer"
    assert data["text"] == answer.body
    assert _same_time(data["dateCreated"], answer.created_at)
    assert data["upvoteCount"] == answer.helpful_count
    assert data["url"] == f"{question_url}#answer-{answer.pk}"
    assert data["author"] == {
        "@type": "Person",
        "name": profile.real_name,
        "url": BASE + reverse("lawyers:profile", args=[answer.lawyer_id]),
        "jobTitle": "执业律师",
    }


def test_question_jsonld_accepted_answer_and_suggested_answers(client, site):
    question = site["answered"]
    question.refresh_from_db()
    url = BASE + question.get_absolute_url()

    data = json_ld(client, question.get_absolute_url())

    entity = data["mainEntity"]
    assert (data["@context"], data["@type"], entity["@type"]) == ("https://schema.org", "QAPage", "Question")
    assert (entity["name"], entity["text"], entity["url"]) == (question.title, question.detail, url)
    assert entity["answerCount"] == Answer.objects.visible().filter(question=question).count() == 2
    assert _same_time(entity["dateCreated"], question.created_at)
    assert entity["author"] == {"@type": "Person", "name": question.asker.display_name}
    assert entity["about"]["name"] == question.category.name
    accepted = Answer.objects.get(question=question, is_accepted=True)
    _check_answer(entity["acceptedAnswer"], accepted, url)
    others = list(Answer.objects.visible().filter(question=question, is_accepted=False))
    assert len(entity["suggestedAnswer"]) == len(others) == 1
    _check_answer(entity["suggestedAnswer"][0], others[0], url)
    assert entity["suggestedAnswer"][0]["upvoteCount"] == 1


def test_question_jsonld_answered_without_accepted_answer(client, site, make_lawyer, make_user, area):
    question = question_services.create_question(
        asker=make_user(nickname="阿明"),
        title="租房押金房东不退怎么办",
        detail="合同到期，房东找理由扣押金。",
        category=area,
    )
    answer = question_services.post_answer(
        question=question, lawyer=make_lawyer(), body="可以起诉要求返还押金。"
    )

    entity = json_ld(client, question.get_absolute_url())["mainEntity"]

    assert "acceptedAnswer" not in entity
    assert entity["answerCount"] == 1
    _check_answer(entity["suggestedAnswer"][0], answer, BASE + question.get_absolute_url())
    assert entity["author"] == {"@type": "Person", "name": "阿明"}


def test_question_jsonld_anonymous_asker_stays_anonymous(client, site, asker):
    question = site["anonymous"]

    response = client.get(question.get_absolute_url())
    data = json.loads(LD_JSON.search(response.content.decode()).group(1))

    entity = data["mainEntity"]
    assert entity["author"] == {"@type": "Person", "name": "匿名用户"}
    serialized = json.dumps(data, ensure_ascii=False)
    assert asker.display_name not in serialized and asker.username not in serialized
    # Masked text only: what is stored (masked when written), never the number the asker typed.
    assert entity["text"] == question.detail
    assert "13812345678" not in serialized


def test_question_jsonld_unanswered(client, site):
    question = site["unanswered"]

    entity = json_ld(client, question.get_absolute_url())["mainEntity"]

    assert entity["answerCount"] == 0
    assert "acceptedAnswer" not in entity and "suggestedAnswer" not in entity
    assert entity["text"] == question.title  # no detail: the title is the text
    assert entity["author"] == {"@type": "Person", "name": "老李"}


def test_question_jsonld_leaves_out_hidden_answers_even_for_moderators(client, site, moderator):
    other = site["other_answer"]
    moderation_services.set_answer_hidden(answer=other, hidden=True, by=moderator)
    client.force_login(moderator)

    response = client.get(site["answered"].get_absolute_url())
    entity = json.loads(LD_JSON.search(response.content.decode()).group(1))["mainEntity"]

    assert other.body in response.content.decode()  # the moderator still sees it on the page
    assert entity["answerCount"] == 1
    assert "suggestedAnswer" not in entity


@pytest.mark.parametrize(
    ("source_id", "number", "force"),
    [
        pytest.param("civil", 1038, "https://schema.org/InForce", id="in-force"),
        pytest.param("company-2018", 2, "https://schema.org/NotInForce", id="revised-version"),
    ],
)
def test_article_jsonld_is_legislation(client, laws, source_id, number, force):
    article = Article.objects.select_related("law").get(law__source_id=source_id, number=number)
    law = article.law

    data = json_ld(client, article.get_absolute_url())

    assert (data["@context"], data["@type"]) == ("https://schema.org", "Legislation")
    assert data["name"] == f"《{law.title}》{article.label}"
    assert data["legislationIdentifier"] == f"{law.title}（{law.version}）{article.label}"
    assert data["legislationDate"] == law.promulgated_on.isoformat()
    assert data["legislationLegalForce"] == force
    assert data["legislationType"] == law.level
    assert data["text"] == article.text
    assert data["url"] == BASE + article.get_absolute_url()
    assert data["isPartOf"] == {
        "@type": "Legislation",
        "name": law.title,
        "legislationIdentifier": f"{law.title}（{law.version}）",
        "url": BASE + law.get_absolute_url(),
    }


def test_law_jsonld_of_a_repealed_law(client, laws):
    law = laws["marriage"]

    data = json_ld(client, law.get_absolute_url())

    assert data["@type"] == "Legislation"
    assert (data["name"], data["legislationIdentifier"]) == (law.title, f"{law.title}（{law.version}）")
    assert data["legislationLegalForce"] == "https://schema.org/NotInForce"
    assert data["legislationDate"] == law.promulgated_on.isoformat() == "2001-04-28"
    assert data["expires"] == law.repealed_on.isoformat() == "2021-01-01"


def test_lawyer_jsonld_is_a_person_with_practice_areas(client, site, area):
    lawyer = site["lawyer"]
    profile = LawyerProfile.objects.get(user=lawyer)
    profile.areas.add(area.__class__.objects.get(slug="traffic"))

    data = json_ld(client, reverse("lawyers:profile", args=[lawyer.pk]))

    person = data["mainEntity"]
    assert (data["@type"], person["@type"]) == ("ProfilePage", "Person")
    assert person["name"] == profile.real_name
    assert person["url"] == BASE + profile.get_absolute_url()
    assert person["worksFor"] == {"@type": "Organization", "name": profile.firm}
    assert (person["address"]["addressRegion"], person["address"]["addressLocality"]) == (
        profile.province,
        profile.city,
    )
    assert sorted(a["name"] for a in person["knowsAbout"]) == sorted(
        profile.areas.values_list("name", flat=True)
    )
    assert {a["url"] for a in person["knowsAbout"]} == {
        BASE + a.get_absolute_url() for a in profile.areas.all()
    }


def test_jsonld_cannot_close_its_script_element(client, make_user, area):
    question = question_services.create_question(
        asker=make_user(),
        title="合同里写了</script>怎么办",
        detail="对方写了<b>加粗</b>和&符号。",
        category=area,
    )

    html = client.get(question.get_absolute_url()).content.decode()
    block = LD_JSON.search(html).group(1)

    assert "<" not in block and ">" not in block
    assert json.loads(block)["mainEntity"]["name"] == question.title
