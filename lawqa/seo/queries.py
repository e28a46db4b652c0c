"""Reads for sitemaps and feeds, with their joins done.

Sitemap sections are paged by primary-key ranges (page n holds the rows with
(n-1)·size < id ≤ n·size), so a page is one index range scan whatever the table size — never an
OFFSET over a million rows — and a page keeps the same rows as the table grows.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, IntegerField, Max, Q, QuerySet
from django.db.models.functions import Cast

from lawqa.lawyers.models import LawyerProfile
from lawqa.questions.models import Answer, Category, Question
from lawqa.statutes.models import Article, Law

FEED_SIZE = 30


# ---------------------------------------------------------------- sitemaps


def sitemap_questions() -> QuerySet[Question]:
    """Visible questions as sitemap rows: (pk, title, updated_at)."""
    return Question.objects.visible()


def sitemap_laws() -> QuerySet[Law]:
    """Law versions that have a page worth visiting (articles or body text), any status."""
    return Law.objects.filter(Q(article_count__gt=0) | ~Q(body=""))


def sitemap_articles() -> QuerySet[Article]:
    return Article.objects.all()


def sitemap_lawyers() -> QuerySet[LawyerProfile]:
    """Verified lawyers whose profile page is public (the same filter as the directory)."""
    return LawyerProfile.objects.filter(status=LawyerProfile.Status.VERIFIED, user__is_active=True)


def rows_in_range(queryset: QuerySet, fields: tuple[str, ...], *, low: int, high: int) -> list[tuple]:
    """Rows of `queryset` with low < pk ≤ high, in pk order, as named tuples of `fields`."""
    return list(
        queryset.filter(pk__gt=low, pk__lte=high).order_by("pk").values_list("pk", *fields, named=True)
    )


def range_pages(
    queryset: QuerySet, size: int, lastmod_field: str | None
) -> list[tuple[int, datetime | None]]:
    """The non-empty pages of `queryset` cut into pk ranges of `size`, each with the newest
    `lastmod_field` in it: [(page number, lastmod or None)], one grouped query."""
    bucket = Cast((F("pk") - 1) / size, IntegerField())
    rows = queryset.annotate(bucket=bucket).values("bucket").order_by("bucket")
    if lastmod_field:
        return [(r["bucket"] + 1, r["lastmod"]) for r in rows.annotate(lastmod=Max(lastmod_field))]
    return [(r["bucket"] + 1, None) for r in rows.annotate(n=Count("pk"))]


def sitemap_areas() -> list[Category]:
    return list(Category.objects.order_by("order", "id"))


# ---------------------------------------------------------------- feeds


def _feed_questions() -> QuerySet[Question]:
    return Question.objects.visible().select_related("category", "asker").order_by("-created_at", "-id")


def latest_questions(limit: int = FEED_SIZE) -> list[Question]:
    return list(_feed_questions()[:limit])


def area_latest_questions(category: Category, limit: int = FEED_SIZE) -> list[Question]:
    return list(_feed_questions().filter(category=category)[:limit])


def _feed_answers() -> QuerySet[Answer]:
    """Visible answers on visible questions, most recently published first (by id: the primary
    key index serves it; answers have no index on their date alone), with the question, its area
    and the lawyer's profile joined."""
    return (
        Answer.objects.visible()
        .filter(question__is_hidden=False)
        .select_related("question__category", "lawyer__lawyer_profile")
        .order_by("-pk")
    )


def latest_answers(limit: int = FEED_SIZE) -> list[Answer]:
    return list(_feed_answers()[:limit])


def lawyer_latest_answers(lawyer_id: int, limit: int = FEED_SIZE) -> list[Answer]:
    return list(_feed_answers().filter(lawyer_id=lawyer_id)[:limit])


def feed_lawyer(user_id: int) -> LawyerProfile:
    """The verified, active lawyer whose answers a feed lists; raises LawyerProfile.DoesNotExist."""
    return sitemap_lawyers().select_related("user").get(user_id=user_id)
