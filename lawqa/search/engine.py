"""The tantivy index: schema, documents, queries. No Django here (the benchmark uses it bare).

Text fields hold pre-segmented text (tokens from `segmentation.segment`, joined by spaces) and
use tantivy's whitespace tokenizer, so index and query see exactly the same tokens. Queries are
built only from tantivy query objects — user text never reaches tantivy's query parser, which
raises on quotes, parentheses and AND/OR.

One writer per index across processes: tantivy holds a lock file inside the index directory,
and `writer_lock()` (an flock next to it) makes our writers queue for it instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import math
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy

from .segmentation import (
    DATA_DIR,
    AnalyzedQuery,
    Segmenter,
    WeightedTerm,
    arabic_numerals,
    char_bigrams,
    default_segmenter,
    prepare,
    read_word_list,
)

SCHEMA_VERSION = "3"
#: Field boosts for free-text search: a title match says most about what a question is.
SEARCH_FIELDS: dict[str, float] = {"title": 0.3, "body": 1.0}
#: Weight of a query's character bigrams (field `grams`) relative to its words.
GRAM_WEIGHT = 0.3
#: Bigrams in more than this share of the questions are skipped (slow and say little).
GRAM_MAX_DF = 0.02
#: Related questions: terms from the title weigh more than terms from the detail.
RELATED_TITLE_WEIGHT = 2.0
RELATED_MAX_TERMS = 16
RELATED_ANSWER_WEIGHT = 0.5
#: A term in fewer questions than this is a typo, a place or a person more often than a topic
#: (as Lucene's MoreLikeThis minDocFreq); it would outweigh every real topic term by its idf.
RELATED_MIN_DOC_FREQ = 3
#: ... once the index is this large (on a young site every term is rare).
RELATED_MIN_DOC_FREQ_FROM = 1000
#: Single characters say less about a topic than words (房、车 still count, at this weight).
RELATED_SINGLE_CHAR_WEIGHT = 0.5
#: Words that say nothing about what a question is about: when it happened (上个月, 明天 …) and
#: courtesies (不好意思, 请问 …) — data/search/related_skip.txt.
RELATED_SKIP: frozenset[str] = frozenset(read_word_list(DATA_DIR / "related_skip.txt"))
_NUMBER_TOKEN = re.compile(r"[\d.,，万千百十元块号岁月年天个%]+")
#: Fields searched for related questions and their boosts.
RELATED_FIELDS: dict[str, float] = {"body": 1.0}
#: Extra score factor for answered questions in related / similar lists.
ANSWERED_BOOST = 1.5
#: Characters of the detail that go into `grams` (the opening states the problem).
GRAM_DETAIL_CHARS = 100
LAW_NAME_RE = re.compile(r"《([^《》]{2,40})》")


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("question_id", stored=True, indexed=True, fast=True)
    # `body` holds all the text (title, detail, answers, cited laws): one posting list per term
    # keeps long related-question queries fast at a million questions, and measured better than
    # separate detail / answer fields (bench/search/quality.py). `title` again for its boost.
    # `grams`: character bigrams of the question's title and detail (recall fallback).
    for name in ("title", "body", "laws", "grams"):
        sb.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("area", stored=False, tokenizer_name="raw")
    sb.add_boolean_field("answered", stored=False, indexed=True, fast=True)
    sb.add_date_field("created", stored=False, indexed=True, fast=True)
    return sb.build()


SCHEMA = build_schema()


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs to know about one question."""

    question_id: int
    title: str
    detail: str = ""
    answers: str = ""
    area: str = ""
    answered: bool = False
    created: dt.datetime | None = None


@dataclass(frozen=True)
class Hit:
    """One search result: the question id, its score and whether it is answered."""

    question_id: int
    score: float
    answered: bool = False


@dataclass(frozen=True)
class SearchPage:
    """A page of hits and the total number of matching questions."""

    hits: list[Hit]
    total: int


def cited_laws(text: str) -> list[str]:
    """Law names cited as 《…》 in `text`.

    >>> cited_laws("依据《劳动合同法》第四十七条和《工伤保险条例》")
    ['劳动合同法', '工伤保险条例']
    """
    return LAW_NAME_RE.findall(text)


def _numbers(text: str, seg: Segmenter) -> str:
    """Digits for quantities written in Chinese numerals (十八岁 → 18), so 18岁 finds them."""
    converted = arabic_numerals(text)
    if converted == text:
        return ""
    return " ".join(t for t in seg.segment(converted) if t.isdigit())


def doc_fields(doc: IndexDoc, segmenter: Segmenter | None = None) -> dict[str, object]:
    """The document's field values, text segmented (picklable: rebuild runs this in workers)."""
    seg = segmenter or default_segmenter()
    laws = " ".join(cited_laws(doc.answers) + cited_laws(doc.detail))
    title, detail, answer, laws = (
        " ".join(seg.segment(t)) for t in (doc.title, doc.detail, doc.answers, laws)
    )
    created = doc.created or dt.datetime.now(dt.UTC)
    grams = " ".join(char_bigrams(prepare(doc.title + "\n" + doc.detail[:GRAM_DETAIL_CHARS])))
    return {
        "question_id": doc.question_id,
        "title": title,
        "laws": laws,
        "body": " ".join(
            t for t in (title, detail, answer, laws, _numbers(doc.title + "\n" + doc.detail, seg)) if t
        ),
        "grams": grams,
        "area": doc.area,
        "answered": doc.answered,
        "created": created.astimezone(dt.UTC).replace(tzinfo=None),
    }


def to_tantivy_doc(doc: IndexDoc, segmenter: Segmenter | None = None) -> tantivy.Document:
    return tantivy.Document(**doc_fields(doc, segmenter))


# --- opening, locking, writing -------------------------------------------------------------


def _version_file(path: Path) -> Path:
    return path / "lawqa-schema-version"


def open_index(path: Path, *, create: bool = True) -> tantivy.Index:
    """Open (or, with `create`, create) the index at `path`; reads reload on each commit.

    Raises FileNotFoundError when there is no index and `create` is off, ValueError when tantivy
    cannot read what is there (garbled meta.json or segment files)."""
    if not create and not (path / "meta.json").is_file():
        raise FileNotFoundError(f"no search index at {path}")
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    version = _version_file(path)
    if not version.exists():
        with contextlib.suppress(OSError):
            version.write_text(SCHEMA_VERSION)
    return index


def schema_is_current(path: Path) -> bool:
    version = _version_file(path)
    return version.exists() and version.read_text().strip() == SCHEMA_VERSION


@contextlib.contextmanager
def writer_lock(path: Path, *, timeout: float | None = None) -> Iterator[bool]:
    """Hold the single-writer lock for the index at `path` (an flock on `<path>.lock`).

    Yields True when held; with a `timeout`, yields False if it could not be taken in time.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    held = False
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    break
                time.sleep(0.05)
        yield held
    finally:
        if held:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def index_writer(index: tantivy.Index, *, heap_size: int = 64_000_000, num_threads: int = 1):
    """A tantivy writer that is released (lock file removed) when the block ends."""
    writer = index.writer(heap_size=heap_size, num_threads=num_threads)
    try:
        yield writer
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
        del writer


def apply_changes(
    writer: tantivy.IndexWriter, *, upserts: Iterable[IndexDoc], deletes: Iterable[int], segmenter=None
) -> int:
    """Replace the documents of `upserts` and remove `deletes` (question ids); caller commits."""
    n = 0
    for question_id in deletes:
        writer.delete_documents_by_term("question_id", question_id)
        n += 1
    for doc in upserts:
        writer.delete_documents_by_term("question_id", doc.question_id)
        writer.add_document(to_tantivy_doc(doc, segmenter))
        n += 1
    return n


# --- queries ---------------------------------------------------------------------------------


def _term_clauses(
    terms: Sequence[WeightedTerm], fields: dict[str, float]
) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    clauses = []
    for term in terms:
        for field, boost in fields.items():
            q = tantivy.Query.term_query(SCHEMA, field, term.term, index_option="freq")
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost * term.weight)))
    return clauses


def _text_query(terms: Sequence[WeightedTerm], fields: dict[str, float]) -> tantivy.Query | None:
    clauses = _term_clauses(terms, fields)
    if not clauses:
        return None
    return tantivy.Query.boolean_query(clauses)


def _filters(
    *, area: str | None = None, answered: bool | None = None, exclude_id: int | None = None
) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    out = []
    if area:
        out.append((tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "area", area)))
    if answered is not None:
        out.append((tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "answered", answered)))
    if exclude_id is not None:
        out.append((tantivy.Occur.MustNot, tantivy.Query.term_query(SCHEMA, "question_id", exclude_id)))
    return out


def _gram_clauses(
    searcher: tantivy.Searcher | None, grams: Sequence[str], weight: float
) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """Should-clauses over the `grams` field for the query's bigrams (needs the searcher).

    Skipped: bigrams no question has, and those in more than GRAM_MAX_DF of the questions
    (long posting lists: slow, and they say little)."""
    if searcher is None or weight <= 0 or not grams:
        return []
    limit = GRAM_MAX_DF * max(searcher.num_docs, 1)
    clauses = []
    for gram in grams:
        df = searcher.doc_freq("grams", gram)
        if 0 < df <= limit:
            q = tantivy.Query.term_query(SCHEMA, "grams", gram, index_option="freq")
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, weight)))
    return clauses


def build_search_query(
    analyzed: AnalyzedQuery,
    *,
    area: str | None = None,
    answered: bool | None = None,
    fields: dict[str, float] | None = None,
    searcher: tantivy.Searcher | None = None,
    gram_weight: float | None = None,
) -> tantivy.Query | None:
    """Query object for a user's analyzed query with optional filters; None if nothing to find.

    With a `searcher`, the query's character bigrams are added at `gram_weight` (default
    GRAM_WEIGHT) as a recall fallback. Word and bigram clauses sit side by side in one flat
    boolean query: nesting them measured slower (tantivy prunes a flat union better)."""
    terms = analyzed.terms
    weight = GRAM_WEIGHT if gram_weight is None else gram_weight
    clauses = _term_clauses(terms, fields or SEARCH_FIELDS) + _gram_clauses(searcher, analyzed.grams, weight)
    if not clauses:
        return None
    text = tantivy.Query.boolean_query(clauses)
    filters = _filters(area=area, answered=answered)
    if not filters:
        return text
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, text), *filters])


def _hits(searcher: tantivy.Searcher, result) -> list[Hit]:
    addresses = [addr for _, addr in result.hits]
    if not addresses:
        return []
    ids = searcher.fast_field_values("question_id", addresses)
    flags = searcher.fast_field_values("answered", addresses)
    return [
        Hit(question_id=int(qid), score=float(score), answered=bool(flag))
        for (score, _), qid, flag in zip(result.hits, ids, flags, strict=True)
    ]


def _bm25_idf(searcher: tantivy.Searcher, field: str, term: str) -> float:
    """tantivy's BM25 idf of a term (0 when no question has it)."""
    df = searcher.doc_freq(field, term)
    if not df:
        return 0.0
    n = max(searcher.num_docs, 1)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


#: BM25's k1: a term's score tends to idf × (k1 + 1) as its frequency grows.
BM25_K1 = 1.2


def score_upper_bound(
    searcher: tantivy.Searcher,
    analyzed: AnalyzedQuery,
    *,
    fields: dict[str, float] | None = None,
    gram_weight: float | None = None,
) -> float:
    """The score a question would get if every clause of the query's search query matched at
    its maximum (boost × idf × (k1 + 1)): the hybrid ranking divides BM25 by it, so the lexical
    share says how much of the query a question matches, comparably across queries."""
    total = 0.0
    for term in analyzed.terms:
        for field, boost in (fields or SEARCH_FIELDS).items():
            total += boost * term.weight * _bm25_idf(searcher, field, term.term)
    weight = GRAM_WEIGHT if gram_weight is None else gram_weight
    if weight > 0:
        limit = GRAM_MAX_DF * max(searcher.num_docs, 1)
        for gram in analyzed.grams:
            if 0 < searcher.doc_freq("grams", gram) <= limit:
                total += weight * _bm25_idf(searcher, "grams", gram)
    return total * (BM25_K1 + 1)


def _scores_of(
    searcher: tantivy.Searcher,
    text: tantivy.Query | None,
    ids: Sequence[int],
    filters: list[tuple[tantivy.Occur, tantivy.Query]],
) -> dict[int, Hit]:
    """The text query's score (0 where nothing matches) for each of `ids` that passes `filters`."""
    if not ids:
        return {}
    pool = tantivy.Query.const_score_query(
        tantivy.Query.term_set_query(SCHEMA, "question_id", [int(i) for i in ids]), 0.0
    )
    clauses = [(tantivy.Occur.Must, pool), *filters]
    if text is not None:
        clauses.append((tantivy.Occur.Should, text))
    result = searcher.search(tantivy.Query.boolean_query(clauses), limit=len(ids), count=False)
    return {h.question_id: h for h in _hits(searcher, result)}


def score_questions(
    searcher: tantivy.Searcher,
    analyzed: AnalyzedQuery,
    ids: Sequence[int],
    *,
    area: str | None = None,
    answered: bool | None = None,
    fields: dict[str, float] | None = None,
    gram_weight: float | None = None,
) -> dict[int, Hit]:
    """The search query's score for each of `ids` that is in the index and passes the filters
    (0 for those it does not match): the lexical side of semantic candidates."""
    text = build_search_query(analyzed, fields=fields, searcher=searcher, gram_weight=gram_weight)
    return _scores_of(searcher, text, ids, _filters(area=area, answered=answered))


def search(
    searcher: tantivy.Searcher,
    analyzed: AnalyzedQuery,
    *,
    area: str | None = None,
    answered: bool | None = None,
    limit: int = 10,
    offset: int = 0,
    fields: dict[str, float] | None = None,
    gram_weight: float | None = None,
) -> SearchPage:
    """Best-first hits for an analyzed query."""
    query = build_search_query(
        analyzed, area=area, answered=answered, fields=fields, searcher=searcher, gram_weight=gram_weight
    )
    if query is None:
        return SearchPage(hits=[], total=0)
    result = searcher.search(query, limit=limit, offset=offset, count=True)
    return SearchPage(hits=_hits(searcher, result), total=int(result.count or 0))


def related_terms(
    searcher: tantivy.Searcher,
    *,
    title: str,
    detail: str,
    answers: str = "",
    segmenter: Segmenter | None = None,
    max_terms: int = RELATED_MAX_TERMS,
) -> list[WeightedTerm]:
    """The question's most telling terms: tf × idf, title terms counting double and answer terms
    half (answers name the legal issue in the words other answers use), top `max_terms`; numbers,
    time words and terms in fewer than RELATED_MIN_DOC_FREQ questions left out, single
    characters at half weight."""
    seg = segmenter or default_segmenter()
    tf: dict[str, float] = {}
    for text, weight in (
        (title, RELATED_TITLE_WEIGHT),
        (detail[:2000], 1.0),
        (answers[:2000], RELATED_ANSWER_WEIGHT),
    ):
        for token in seg.segment(text):
            tf[token] = tf.get(token, 0.0) + weight
    n_docs = max(searcher.num_docs, 1)
    min_df = RELATED_MIN_DOC_FREQ if n_docs >= RELATED_MIN_DOC_FREQ_FROM else 1
    scored = []
    for token, freq in tf.items():
        if token in RELATED_SKIP or _NUMBER_TOKEN.fullmatch(token):
            continue
        df = searcher.doc_freq("body", token)
        if df < min_df:
            continue
        idf = math.log(1 + n_docs / df)
        weight = RELATED_SINGLE_CHAR_WEIGHT if len(token) == 1 else 1.0
        scored.append((math.sqrt(freq) * idf * weight, token))
    scored.sort(reverse=True)
    top = scored[:max_terms]
    if not top:
        return []
    best = top[0][0]
    return [WeightedTerm(token, score / best) for score, token in top]


def related(
    searcher: tantivy.Searcher,
    *,
    question_id: int,
    title: str,
    detail: str,
    answers: str = "",
    limit: int = 10,
    segmenter: Segmenter | None = None,
    answered_boost: float = ANSWERED_BOOST,
    fields: dict[str, float] | None = None,
    max_terms: int = RELATED_MAX_TERMS,
) -> list[Hit]:
    """Questions similar in content to the given one (itself excluded), answered ones preferred."""
    terms = related_terms(
        searcher, title=title, detail=detail, answers=answers, segmenter=segmenter, max_terms=max_terms
    )
    text = _text_query(terms, fields or RELATED_FIELDS)
    if text is None:
        return []
    clauses = [(tantivy.Occur.Must, text), *_filters(exclude_id=question_id)]
    query = tantivy.Query.boolean_query(clauses)
    # Fetch a few more and re-rank with the answered preference.
    result = searcher.search(query, limit=limit * 3, count=False)
    hits = _hits(searcher, result)
    if answered_boost > 1.0 and hits:
        flags = searcher.fast_field_values("answered", [addr for _, addr in result.hits])
        hits = [
            Hit(h.question_id, h.score * (answered_boost if flag else 1.0))
            for h, flag in zip(hits, flags, strict=True)
        ]
        hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def related_candidates(
    searcher: tantivy.Searcher,
    *,
    question_id: int,
    title: str,
    detail: str,
    answers: str = "",
    limit: int = 30,
    ids: Sequence[int] = (),
    answered: bool | None = None,
    segmenter: Segmenter | None = None,
) -> dict[int, Hit]:
    """The lexical side of hybrid 相关问题: raw scores of the `limit` best questions for the
    related query, plus the score of each of `ids` (0 where no term matches); the question itself
    left out, and with `answered=True` unanswered ones too. Best lexical first, then `ids`."""
    terms = related_terms(searcher, title=title, detail=detail, answers=answers, segmenter=segmenter)
    text = _text_query(terms, RELATED_FIELDS)
    filters = _filters(answered=answered, exclude_id=question_id)
    found: dict[int, Hit] = {}
    if text is not None and limit > 0:
        result = searcher.search(
            tantivy.Query.boolean_query([(tantivy.Occur.Must, text), *filters]), limit=limit, count=False
        )
        found = {h.question_id: h for h in _hits(searcher, result)}
    found.update(_scores_of(searcher, text, [i for i in ids if i not in found], filters))
    return found
