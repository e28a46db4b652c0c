"""Reads for the question pages, with their joins done."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from lawqa.accounts.models import User

from .models import Answer, Category, FollowUp, Question

AREA_COUNTS_CACHE_KEY = "questions:area-counts"


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
    if status == "answered":
        qs = qs.filter(status__in=[Question.Status.ANSWERED, Question.Status.ACCEPTED])
    elif status == "open":
        qs = qs.filter(status=Question.Status.OPEN)
    return qs.order_by("-created_at", "-id")


def areas_with_counts() -> list[Category]:
    """All practice areas with `n_questions` (visible); counts are cached for a minute."""
    counts = cache.get(AREA_COUNTS_CACHE_KEY)
    if counts is None:
        counts = dict(
            Question.objects.visible()
            .values_list("category_id")
            .annotate(n=Count("id"))
            .values_list("category_id", "n")
        )
        cache.set(AREA_COUNTS_CACHE_KEY, counts, 60)
    areas = list(Category.objects.all())
    for area in areas:
        area.n_questions = counts.get(area.pk, 0)
    return areas


def question_page(question_id: int, *, include_hidden: bool = False) -> Question:
    """The question with its answers (accepted first, then by helpful votes), each answer's lawyer
    card and follow-ups: a fixed number of queries whatever the number of answers."""
    answers = Answer.objects.select_related("lawyer__lawyer_profile").prefetch_related(
        Prefetch("followups", FollowUp.objects.filter(is_hidden=False).select_related("author"))
    )
    if not include_hidden:
        answers = answers.filter(is_hidden=False)
    qs = Question.objects.select_related("category", "asker").prefetch_related(
        Prefetch("answers", answers.order_by("-is_accepted", "-helpful_count", "created_at", "id"))
    )
    if not include_hidden:
        qs = qs.visible()
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
