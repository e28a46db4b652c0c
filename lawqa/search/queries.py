"""Reads from the search index: the search page, 相关问题, similar questions while asking.

The index yields question ids; the questions themselves come from the database in one query,
restricted to visible ones, so a question hidden a moment ago never shows even before the
indexer has removed it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lawqa.questions.models import Question

from . import engine, index
from .segmentation import AnalyzedQuery, analyze_query, matched_spans
from .services import related_cache_key

logger = logging.getLogger(__name__)

#: Longest query we accept (characters); longer input is cut, never rejected with an error.
MAX_QUERY_LENGTH = 100
PAGE_SIZE = 10
MAX_PAGES = 50
SNIPPET_CHARS = 120
RELATED_CACHE_SECONDS = 600
SIMILAR_MIN_CHARS = 4


@dataclass
class SearchResult:
    """One result row: the question and its highlighted title and snippet (safe HTML)."""

    question: Question
    title_html: SafeString
    snippet_html: SafeString
    score: float


@dataclass
class SearchResults:
    """A page of results for a query, with what the template needs for paging and the empty state."""

    query: str
    analyzed: AnalyzedQuery | None
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGES, max(1, -(-self.total // self.page_size)))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def terms(self) -> list[str]:
        """The user's own segmented words (for "try fewer words" suggestions)."""
        if not self.analyzed:
            return []
        return [t.term for t in self.analyzed.terms if t.weight >= 1.0]


def clean_query(raw: str | None) -> str:
    """Whitespace-collapsed query cut to MAX_QUERY_LENGTH characters."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def highlight(text: str, terms: list[str], *, max_chars: int | None = None) -> SafeString:
    """Escape `text` and wrap matches of `terms` in <mark>; with `max_chars`, cut a window
    around the first dense cluster of matches (on the original text, not the tokens)."""
    spans = matched_spans(text, terms)
    start, end = 0, len(text)
    if max_chars is not None and len(text) > max_chars:
        best, best_count = 0, -1
        for s, _ in spans:
            lo = max(0, s - max_chars // 4)
            count = sum(1 for a, b in spans if a >= lo and b <= lo + max_chars)
            if count > best_count:
                best, best_count = lo, count
        start, end = best, min(len(text), best + max_chars)
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of user text above is escaped


def _snippet(question: Question, words: list[str]) -> SafeString:
    """Highlighted part of the detail; empty when the detail only repeats the title."""
    detail = question.detail.strip()
    if not detail or detail.rstrip("。？！?!") == question.title.rstrip("。？！?!"):
        return mark_safe("")
    return highlight(detail, words, max_chars=SNIPPET_CHARS)


def _visible_by_id(ids: list[int]) -> dict[int, Question]:
    qs = Question.objects.visible().select_related("category").filter(pk__in=ids)
    return {q.pk: q for q in qs}


def search_questions(
    raw_query: str | None, *, area: str | None = None, answered: bool | None = None, page: int = 1
) -> SearchResults:
    """A page of visible questions matching the query, best first, with highlighted snippets."""
    query = clean_query(raw_query)
    page = min(max(1, page), MAX_PAGES)
    if not query:
        return SearchResults(query=query, analyzed=None, page=page)
    analyzed = analyze_query(query)
    if analyzed.is_empty:
        return SearchResults(query=query, analyzed=analyzed, page=page)
    found = engine.search(
        index.searcher(),
        analyzed,
        area=area or None,
        answered=answered,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    by_id = _visible_by_id([h.question_id for h in found.hits])
    words = [t.term for t in analyzed.terms]
    results = []
    for hit in found.hits:
        question = by_id.get(hit.question_id)
        if question is None:
            continue
        results.append(
            SearchResult(
                question=question,
                title_html=highlight(question.title, words),
                snippet_html=_snippet(question, words),
                score=hit.score,
            )
        )
    return SearchResults(query=query, analyzed=analyzed, results=results, total=found.total, page=page)


def ranked_question_ids(raw_query: str, *, limit: int = 10) -> list[int]:
    """Question ids best first for a query (the `search_questions` batch command)."""
    analyzed = analyze_query(clean_query(raw_query))
    return [h.question_id for h in engine.search(index.searcher(), analyzed, limit=limit).hits]


def related_questions(question: Question, limit: int = 10) -> list[Question]:
    """Up to `limit` visible questions related by content (title and detail terms, weighted),
    itself excluded, answered ones preferred. Ids are cached per question and invalidated when
    the question changes (its `updated_at` is part of the cached value)."""
    key = related_cache_key(question.pk)
    stamp = question.updated_at.isoformat() if question.updated_at else ""
    cached = cache.get(key)
    if cached and cached[0] == stamp and cached[1] >= limit:
        ids = cached[2]
    else:
        # Answers are usually prefetched by the question page; hidden ones are skipped either way.
        answers = "\n".join(a.body for a in question.answers.all() if not a.is_hidden)
        try:
            hits = engine.related(
                index.searcher(),
                question_id=question.pk,
                title=question.title,
                detail=question.detail,
                answers=answers,
                limit=limit + 5,
            )
        except (OSError, ValueError):
            logger.exception("related questions failed for question %s", question.pk)
            return []
        ids = [h.question_id for h in hits]
        cache.set(key, (stamp, limit, ids), RELATED_CACHE_SECONDS)
    by_id = _visible_by_id(ids)
    return [by_id[i] for i in ids if i in by_id and i != question.pk][:limit]


def similar_questions(title: str | None, limit: int = 5) -> list[Question]:
    """Answered questions similar to a title being typed on the ask page (≥ 4 characters)."""
    text = clean_query(title)
    if len(text.replace(" ", "")) < SIMILAR_MIN_CHARS:
        return []
    analyzed = analyze_query(text)
    if analyzed.is_empty:
        return []
    hits = engine.search(index.searcher(), analyzed, answered=True, limit=limit).hits
    by_id = _visible_by_id([h.question_id for h in hits])
    return [by_id[h.question_id] for h in hits if h.question_id in by_id]
