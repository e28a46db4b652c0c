"""Search pages: /search/ results and the ask page's similar-questions fragment (htmx)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lawqa.questions.models import Category

from . import queries

logger = logging.getLogger(__name__)

ANSWERED_CHOICES = {"1": True, "0": False}


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), queries.MAX_PAGES))
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Results for ?q= with area / answered filters and pagination; never errors on odd input."""
    query = queries.clean_query(request.GET.get("q"))
    areas = list(Category.objects.all())
    area = request.GET.get("area") or ""
    if area not in {a.slug for a in areas}:
        area = ""
    answered_raw = request.GET.get("answered") or ""
    answered = ANSWERED_CHOICES.get(answered_raw)
    if answered is None:
        answered_raw = ""
    page = _page_number(request.GET.get("page"))
    try:
        results = queries.search_questions(query, area=area or None, answered=answered, page=page)
    except (OSError, ValueError):
        # A broken or missing index must not take the page down: show the empty state instead.
        logger.exception("search failed for %r", query)
        results = queries.SearchResults(query=query, analyzed=None, page=page)
    answered_matches: list[queries.WaitingHelp] = []
    if answered is None:
        try:
            answered_matches = queries.answered_matches(results)
        except (OSError, ValueError):
            logger.exception("answered matches failed for %r", query)
    params = {k: v for k, v in {"q": query, "area": area, "answered": answered_raw}.items() if v}
    context = {
        "results": results,
        "search_query": query,
        "areas": areas,
        "area": area,
        "answered": answered_raw,
        "extra_query": urlencode(params),
        "filter_query": urlencode({"q": query}) if query else "",
        "answered_matches": answered_matches,
        "answered_query": urlencode({**params, "answered": "1"}),
    }
    return render(request, "search/search.html", context)


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """htmx fragment for the ask page: up to 5 answered questions similar to the typed title."""
    title = request.GET.get("title") or request.GET.get("q") or ""
    try:
        found = queries.similar_questions(title)
    except (OSError, ValueError):
        logger.exception("similar questions failed")
        found = []
    return render(request, "search/_similar.html", {"similar": found})
