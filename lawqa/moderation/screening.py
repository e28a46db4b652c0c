"""What a new question or answer must pass to be published at once; otherwise it is held for a
moderator (moderation.services.hold_post). Reads only: the spam rules of moderation.spam with
the author's earlier answers, and the premoderation of a new account's first posts
(LAWQA_PREMODERATE_FIRST_POSTS). questions.services calls these before saving a post."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from lawqa.questions.models import Answer, Question

from . import rules, spam
from .models import HeldPost

if TYPE_CHECKING:
    from lawqa.accounts.models import User

# The repeated-answer rule compares an answer with this many of the lawyer's latest answers.
DUPLICATE_WINDOW = 50


@dataclass(frozen=True)
class Screening:
    """Why a post is held: the source (spam rules or premoderation), the rule codes, the reason
    shown to the author and the moderator, and the text that matched."""

    source: str
    reason: str
    rules: tuple[str, ...] = ()
    evidence: str = ""


def _site_hosts() -> tuple[str, ...]:
    return tuple(h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and "*" not in h)


def _from_verdict(verdict: spam.Verdict) -> Screening:
    return Screening(
        source=HeldPost.Source.SPAM,
        reason=verdict.summary,
        rules=verdict.rules,
        evidence="；".join(h.evidence for h in verdict.hits)[:300],
    )


def _premoderation(author: User) -> Screening | None:
    """Held while the author has fewer than LAWQA_PREMODERATE_FIRST_POSTS published posts
    (questions and answers; a held or rejected one does not count)."""
    needed = settings.LAWQA_PREMODERATE_FIRST_POSTS
    if needed <= 0:
        return None
    published = Question.objects.filter(asker=author, is_hidden=False).count()
    if published < needed:
        published += Answer.objects.filter(lawyer=author, is_hidden=False).count()
    if published >= needed:
        return None
    return Screening(source=HeldPost.Source.PREMODERATION, reason="新用户的前几条内容需经审核后公开")


def screen_question(*, author: User, title: str, detail: str) -> Screening | None:
    """None when the question may be published now."""
    if rules.is_exempt_from_screening(author):
        return None
    verdict = spam.check_text(f"{title}\n{detail}", kind="question", allowed_hosts=_site_hosts())
    if verdict.held:
        return _from_verdict(verdict)
    return _premoderation(author)


def screen_answer(*, lawyer: User, body: str, question: Question, is_edit: bool = False) -> Screening | None:
    """None when the answer (or, `is_edit`, the edited text of a published answer) may be
    published now. Compared with the lawyer's latest answers to other questions; a number or
    handle the asker gave in the question is not counted as the lawyer's contact."""
    if rules.is_exempt_from_screening(lawyer):
        return None
    earlier = (
        Answer.objects.filter(lawyer=lawyer)
        .exclude(question_id=question.pk)
        .order_by("-created_at", "-id")
        .values_list("body", flat=True)[:DUPLICATE_WINDOW]
    )
    verdict = spam.check_answer(
        body,
        earlier_answers=list(earlier),
        allowed_hosts=_site_hosts(),
        question_text=f"{question.title}\n{question.detail}",
    )
    if verdict.held:
        return _from_verdict(verdict)
    return None if is_edit else _premoderation(lawyer)
