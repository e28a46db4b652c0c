"""Reads for the law pages, with their joins done (a fixed number of queries per page)."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet

from lawqa.questions.models import Question

from .models import Article, Law

LEVELS = ("宪法", "法律", "行政法规", "司法解释", "部门规章", "其他")


def law_list(*, level: str | None = None, q: str = "") -> QuerySet[Law]:
    """Laws as listed on the index (one row per law name), filtered by level and title words."""
    qs = Law.objects.listed().defer("header", "body", "toc", "parse_problems")
    if level:
        qs = qs.filter(level=level)
    for word in q.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(name__icontains=word))
    return qs.order_by("level", "name")


def level_counts() -> dict[str, int]:
    counts = dict(Law.objects.listed().values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    ordered = {lv: counts.pop(lv) for lv in LEVELS if lv in counts}
    ordered.update(counts)
    return ordered


def law_by_slug(slug: str) -> Law:
    return Law.objects.get(slug=slug)


def law_articles(law: Law) -> list[Article]:
    return list(law.articles.order_by("position"))


def law_versions(law: Law) -> list[Law]:
    """All versions of the law's name, newest first (including `law`)."""
    return list(
        Law.objects.filter(name=law.name)
        .only("slug", "name", "title", "version", "status", "is_current")
        .order_by("-promulgated_on", "-id")
    )


_ARTICLE_SLUG = re.compile(r"^(\d{1,5})(?:-(\d{1,2}))?$")


def article_page(law_slug: str, article_slug: str) -> Article:
    """The article a URL names: /laws/<law>/1038/ or /laws/<law>/133-1/ (第一百三十三条之一).
    Raises Article.DoesNotExist for a missing article and for a malformed number alike."""
    m = _ARTICLE_SLUG.match(article_slug)
    if not m:
        raise Article.DoesNotExist(article_slug)
    return Article.objects.select_related("law").get(
        law__slug=law_slug, number=int(m.group(1)), sub=int(m.group(2) or 0)
    )


def article_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The previous and next article of the same law version (one query)."""
    rows = list(
        Article.objects.filter(
            law_id=article.law_id, position__in=[article.position - 1, article.position + 1]
        ).only("number", "sub", "position", "law_id")
    )
    prev = next((a for a in rows if a.position == article.position - 1), None)
    nxt = next((a for a in rows if a.position == article.position + 1), None)
    for a in (prev, nxt):
        if a is not None:
            a.law = article.law  # avoid a query per link
    return prev, nxt


def citing_questions(article: Article, limit: int = 20) -> list[Question]:
    """Visible questions whose visible answers cite `article`, newest first."""
    return list(
        Question.objects.visible()
        .filter(answers__citations__article=article, answers__is_hidden=False)
        .select_related("category")
        .defer("detail")
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )
