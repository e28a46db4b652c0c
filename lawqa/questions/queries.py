"""Reads for the question pages, with their joins done."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from lawqa.accounts.models import User
from lawqa.common import textdiff

from .models import (
    Answer,
    AnswerRating,
    AnswerRevision,
    AreaCount,
    Category,
    FollowUp,
    Question,
    QuestionFollow,
    QuestionSupplement,
)

# The area page's status filters, as the statuses they show.
AREA_STATUS_FILTERS = {
    "answered": (Question.Status.ANSWERED, Question.Status.ACCEPTED),
    "open": (Question.Status.OPEN,),
}


def question_list() -> QuerySet[Question]:
    """Visible questions with what a list row shows (area, asker)."""
    return Question.objects.visible().select_related("category", "asker").defer("detail")


def latest_questions(limit: int = 20, exclude_id: int | None = None) -> list[Question]:
    qs = question_list()
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("-created_at", "-id")[:limit])


def unanswered_questions(limit: int = 10) -> list[Question]:
    return list(question_list().filter(status=Question.Status.OPEN).order_by("-created_at", "-id")[:limit])


def area_questions(category: Category, status: str | None = None) -> QuerySet[Question]:
    """A practice area's visible questions, newest first; status 'answered' or 'open' filters."""
    qs = question_list().filter(category=category)
    if status in AREA_STATUS_FILTERS:
        qs = qs.filter(status__in=AREA_STATUS_FILTERS[status])
    return qs.order_by("-created_at", "-id")


def area_question_count(category: Category, status: str | None = None) -> int:
    """How many questions `area_questions` lists, from the maintained counts (AreaCount)."""
    counts = AreaCount.objects.filter(category=category)
    if status in AREA_STATUS_FILTERS:
        counts = counts.filter(status__in=AREA_STATUS_FILTERS[status])
    return counts.aggregate(n=Sum("questions"))["n"] or 0


def areas_with_counts() -> list[Category]:
    """All practice areas with `n_questions`, their visible questions: one query over the
    maintained counts (AreaCount), never over the questions."""
    # Explicit order: Django leaves Meta.ordering out of an aggregating (GROUP BY) query, and
    # PostgreSQL then returns the groups in any order.
    return list(
        Category.objects.annotate(n_questions=Coalesce(Sum("counts__questions"), 0)).order_by("order", "id")
    )


def question_page(
    question_id: int, *, include_hidden: bool = False, viewer_id: int | None = None
) -> Question:
    """The question with its supplements, its answers (accepted first, then by helpful votes),
    each answer's lawyer card, rating and follow-ups: a fixed number of queries whatever the
    number of answers, supplements, ratings or followers (the counts are columns of Question).
    `viewer_id`: the signed-in viewer, who also sees their own posts held for moderation."""
    answers = Answer.objects.select_related("lawyer__lawyer_profile", "rating").prefetch_related(
        Prefetch("followups", FollowUp.objects.filter(is_hidden=False).select_related("author"))
    )
    supplements = QuestionSupplement.objects.order_by("created_at", "id")
    if not include_hidden:
        answers = answers.filter(Q(is_hidden=False) | Q(is_held=True, lawyer_id=viewer_id or 0))
        supplements = supplements.filter(is_hidden=False)
    # stored_suggestions: 可能相关的法律规定 (legalai), ranked in the background.
    qs = Question.objects.select_related("category", "asker", "stored_suggestions").prefetch_related(
        Prefetch("supplements", supplements),
        Prefetch("answers", answers.order_by("-is_accepted", "-helpful_count", "created_at", "id")),
    )
    if not include_hidden:
        qs = qs.filter(_shown_to(viewer_id))
    return qs.get(pk=question_id)


def _shown_to(viewer_id: int | None) -> Q:
    """Questions a viewer may open: visible ones, and their own held for moderation."""
    return Q(is_hidden=False) | Q(is_held=True, asker_id=viewer_id or 0)


def question_for_redirect(
    question_id: int, *, include_hidden: bool = False, viewer_id: int | None = None
) -> Question:
    """Id and title of a question the viewer may open (question_page's rule), to redirect to its
    canonical URL; raises Question.DoesNotExist."""
    qs = Question.objects.only("pk", "title")
    if not include_hidden:
        qs = qs.filter(_shown_to(viewer_id))
    return qs.get(pk=question_id)


def same_area_latest(question: Question, limit: int = 10) -> list[Question]:
    """Fallback related list: the newest visible questions of the same area."""
    return list(
        question_list()
        .filter(category_id=question.category_id)
        .exclude(pk=question.pk)
        .order_by("-created_at", "-id")[:limit]
    )


def voted_answer_ids(user: User | None, answer_ids: list[int]) -> set[int]:
    if user is None or not user.is_authenticated or not answer_ids:
        return set()
    return set(user.answer_votes.filter(answer_id__in=answer_ids).values_list("answer_id", flat=True))


def user_questions(user: User, *, include_anonymous: bool) -> QuerySet[Question]:
    qs = question_list().filter(asker=user)
    if not include_anonymous:
        qs = qs.filter(is_anonymous=False)
    return qs.order_by("-created_at")


def lawyer_answered_questions(lawyer_id: int) -> QuerySet[Question]:
    """Visible questions the lawyer answered, newest answer first."""
    return (
        question_list()
        .filter(Q(answers__lawyer_id=lawyer_id) & Q(answers__is_hidden=False))
        .distinct()
        .order_by("-created_at")
    )


def viewer_follow(user: User | None, question_id: int) -> QuestionFollow | None:
    """The signed-in viewer's 关注 / 同问 row on the question (None: neither, or signed out)."""
    if user is None or not user.is_authenticated:
        return None
    return QuestionFollow.objects.filter(user=user, question_id=question_id).first()


def my_questions(user: User) -> QuerySet[Question]:
    """我的提问: the user's own questions (anonymous ones too, hidden ones too so they can see what
    happened), newest first, with what the row shows."""
    return (
        Question.objects.filter(asker=user)
        .select_related("category")
        .defer("detail")
        .order_by("-created_at", "-id")
    )


def my_follows(user: User) -> QuerySet[QuestionFollow]:
    """我的关注: the visible questions the user follows or said 同问 to, most recently followed
    first, each with its question and area (one query per page)."""
    return (
        QuestionFollow.objects.filter(user=user, question__is_hidden=False)
        .select_related("question__category")
        .defer("question__detail")
        .order_by("-created_at", "-id")
    )


def lawyer_recent_ratings(lawyer_id: int, limit: int = 5) -> list[AnswerRating]:
    """The newest ratings of the lawyer's visible answers, with the question each was about."""
    return list(
        AnswerRating.objects.filter(
            answer__lawyer_id=lawyer_id, answer__is_hidden=False, answer__question__is_hidden=False
        )
        .select_related("answer__question")
        .only(
            "id",
            "score",
            "comment",
            "reply",
            "replied_at",
            "created_at",
            "answer__id",
            "answer__question__id",
            "answer__question__title",
        )
        .order_by("-created_at", "-id")[:limit]
    )


def answer_revisions(answer: Answer) -> QuerySet[AnswerRevision]:
    """The versions of an edited answer, newest first (none for an answer never edited)."""
    return AnswerRevision.objects.filter(answer=answer).select_related("editor").order_by("-number")


def revision_diffs(answer: Answer, page: list[AnswerRevision]) -> list[dict]:
    """Each revision of `page` (newest first) with its diff from the version before it: one
    query for the version just before the page's oldest, none per revision."""
    if not page:
        return []
    before = (
        AnswerRevision.objects.filter(answer=answer, number=page[-1].number - 1).only("body").first()
        if page[-1].number > 1
        else None
    )
    versions = []
    for i, revision in enumerate(page):
        previous = page[i + 1] if i + 1 < len(page) else before
        segments = textdiff.diff_segments(previous.body, revision.body, context=60) if previous else []
        inserted, deleted = textdiff.change_counts(segments)
        versions.append(
            {
                "revision": revision,
                "segments": segments,
                "inserted": inserted,
                "deleted": deleted,
                "first": previous is None,
            }
        )
    return versions
