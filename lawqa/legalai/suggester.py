"""Statute article suggestions for a question: BM25 + platform knowledge, pure and fast.

Pure module (no Django). The score of an article for a question adds up

* BM25 over the segmented article text (law name, headings, text), the query expanded with
  the colloquial → legal synonyms of the search segmenter and with the strongest terms of the
  answers to the most similar known questions (pseudo-relevance feedback: legal wording);
* BM25 over character bigrams of the article text (catches words the segmenter cuts
  differently), computed on the candidates only;
* platform knowledge: the articles attached to the most similar known questions (bundled
  questions with their gold articles, answers' citations), weighted by similarity²;
* a law-level prior (the laws those similar questions cite) and a small popularity prior;
* the same two one level down: BM25 of the article's section (编/章/节) as one text, and the
  section's share of the similar questions' articles — an article nobody has cited yet still
  gains when its chapter is the right one;
* the evidence of the article just before or after it in the same law (related rules sit
  next to each other: 主犯/从犯/胁从犯, the articles of 相邻关系).

The best RERANK_CANDIDATES articles by that sum are then re-ordered by a learned re-ranker
(LambdaMART: gradient-boosted trees ranking each question's candidates, over the score parts,
their ranks, a few interactions, the best similarity of a known question citing the article and
of any known question at all), trained on the known questions with gold articles
(`fit_reranker`, run by `train_legalai`).

A known question can be excluded by id (``exclude``), so that evaluation never lets a question
help to answer itself: its gold articles, answer and popularity are left out of the evidence,
and the re-ranker used is one of the cross-fitted fold models that never saw the question.
"""

from __future__ import annotations

import hashlib
import logging
import math
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

#: Weights of the score parts (tuned by cross-validation on the statute dev set).
W_WORDS = 1.0
W_CHARS = 0.7
W_KNOWLEDGE = 1.0
W_LAW_PRIOR = 0.5
W_POPULARITY = 0.2
#: Law-level popularity: how many known questions cite the article's law.
W_LAW_POPULARITY = 0.2
#: BM25 of the article's section (its 编/章/节, or the whole law when it has none) as one text.
W_SECTION_WORDS = 0.3
#: The section's share of the similar known questions' articles (a finer law prior).
W_SECTION_PRIOR = 0.3
#: The best evidence of the article next to it in the same law (articles come in runs).
W_ADJACENT = 0.3
#: Similar known questions used, and the exponent on their similarity.
KNN = 60
KNN_POWER = 2.0
#: Pseudo-relevance feedback: terms taken from the answers of the similar known questions
#: (legal wording for a colloquial question), how many, and their weight at most.
PRF_NEIGHBOURS = 5
PRF_TERMS = 30
PRF_WEIGHT = 0.4
#: Candidates re-scored with the character-bigram BM25.
CANDIDATES = 1500
#: Articles re-ordered by the learned re-ranker, and the folds of its cross-fitting.
RERANK_CANDIDATES = 300
RERANK_FOLDS = 5
#: Size of the re-ranker: trees, leaves per tree and their depth (`TreeEnsemble.predict` walks
#: trees × depth), and the threads that train it. 300 × 15 leaves was the first setting
#: measured; 500 trees (0.667) and 31 leaves (0.659) did no better (recall@10, leave-one-out).
#: Unbounded, LightGBM grew trees 14 levels deep (10 ms a question to re-rank).
RERANK_TREES = 300
RERANK_LEAVES = 15
RERANK_DEPTH = 6
RERANK_THREADS = 2
BM25_K1 = 1.2
BM25_B = 0.75
#: Meaning, not only words (lawqa.embeddings: the question's query vector against the stored
#: passage vectors of the known questions and of the articles). Known questions nearest by
#: embedding, and the temperature of their weights exp((similarity − best) / T): e5's
#: similarities crowd into 0.80–0.95, so T is small.
DENSE_KNN = 30
DENSE_TEMPERATURE = 0.02
#: Articles nearest to the question by embedding that join the re-ranker's candidates (the
#: lexical candidates miss the articles nobody has cited and whose words differ).
DENSE_CANDIDATES = 100
#: Version of the saved model's layout: a model saved by an older version is not loaded (it
#: lacks attributes this code reads); `make setup` retrains when this changes.
FORMAT_VERSION = 4

#: The score parts, in the order of the re-ranker's features, and their fixed weights.
PARTS = (
    "words",
    "known",
    "chars",
    "law_prior",
    "popularity",
    "law_popularity",
    "section_words",
    "section_prior",
    "adjacent",
    "known_best",
    "top_similarity",
    "dense_known",
    "dense_known_best",
    "dense_known_top",
    "dense_known_nearest",
    "dense_article",
    "dense_article_gap",
    "dense_law_gap",
    "dense_in_law",
    "dense_section_gap",
    "dense_adjacent_gap",
)
#: The parts computed from embeddings (all 0 when the question has no vector).
DENSE_PARTS = PARTS[PARTS.index("dense_known") :]

#: The parts whose rank among the candidates is a re-ranker feature of its own.
RANKED_PARTS = tuple(
    PARTS.index(p)
    for p in (
        "words",
        "known",
        "chars",
        "section_words",
        "section_prior",
        "adjacent",
        "dense_article",
        "dense_known",
    )
)
#: Their weights in the summed score that picks the re-ranker's candidates (the last two are
#: re-ranker features only).
PART_WEIGHTS = np.array(
    [
        W_WORDS,
        W_KNOWLEDGE,
        W_CHARS,
        W_LAW_PRIOR,
        W_POPULARITY,
        W_LAW_POPULARITY,
        W_SECTION_WORDS,
        W_SECTION_PRIOR,
        W_ADJACENT,
        *[0.0] * (len(PARTS) - 9),
    ]
)

logger = logging.getLogger(__name__)

_NON_TEXT = re.compile(r"[^\u4e00-\u9fff0-9a-zA-Z]")


class OutdatedModel(ValueError):
    """The saved model was written by an older version of this module."""


@dataclass(frozen=True)
class ArticleDoc:
    """One article to index: the law's title as we output it, number, 之X, headings, text."""

    law: str
    number: int
    sub: int
    text: str
    headings: tuple[str, ...] = ()
    law_short: str = ""
    #: The law's source id (the key of the article's stored vector: `<law_id>:<number>:<sub>`).
    law_id: str = ""


@dataclass(frozen=True)
class KnownQuestion:
    """A question the platform knows the relevant articles of (gold or cited in an answer)."""

    id: str
    text: str
    articles: dict[tuple[str, int, int], float] = field(default_factory=dict)
    answer: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A suggested article: law title, number, 之X, and the combined score."""

    law: str
    article: int
    sub: int
    score: float
    law_name: str = ""


def char_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of the CJK/alphanumeric text.

    >>> char_bigrams("工伤，赔偿")
    ['工伤', '伤赔', '赔偿']
    """
    t = _NON_TEXT.sub("", text)
    return [t[i : i + 2] for i in range(len(t) - 1)]


def rerank_features(parts: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Re-ranker features of candidates ordered best first: the score parts (n × PARTS), the
    summed score and its share of the best, log rank, overall and per part, and interactions.

    >>> rerank_features(np.ones((3, len(PARTS))), np.array([3.0, 2.0, 1.0])).shape
    (3, 37)
    """
    n = len(score)
    rank = np.arange(n)
    cols = [
        parts,
        score[:, None],
        np.log1p(rank)[:, None],
        (rank < 10)[:, None],
        (parts[:, 1] > 0)[:, None],
        (parts[:, 0] * parts[:, 1])[:, None],
        (parts[:, 0] * parts[:, 3])[:, None],
        (parts[:, 2] * parts[:, 3])[:, None],
        (score / (score[0] or 1.0))[:, None] if n else score[:, None],
    ]
    for j in RANKED_PARTS:
        order = np.argsort(-parts[:, j], kind="stable")
        part_rank = np.empty(n)
        part_rank[order] = np.arange(n)
        cols.append(np.log1p(part_rank)[:, None])
    return np.hstack(cols).astype(np.float32)


class TreeEnsemble:
    """A trained gradient-boosted tree ranker (LightGBM, `fit_reranker`) compiled to flat arrays:
    `predict` gives the same scores in a few numpy operations per tree level, single-threaded,
    without importing LightGBM at run time (its own OpenMP predictor, like scikit-learn's, has long
    tail latencies on a busy machine)."""

    def __init__(self, booster: object) -> None:
        trees = [t["tree_structure"] for t in booster.dump_model()["tree_info"]]  # type: ignore[attr-defined]
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        depth = 0

        def add(node: dict, level: int) -> int:
            """Append `node` and its subtree; its index. A leaf's children are itself, so walking
            a fixed number of levels leaves every row at its leaf."""
            nonlocal depth
            depth = max(depth, level)
            i = len(feature)
            feature.append(0)
            threshold.append(0.0)
            left.append(i)
            right.append(i)
            value.append(float(node.get("leaf_value", 0.0)))
            if "split_feature" in node:
                if node["decision_type"] != "<=" or node.get("missing_type") == "Zero":
                    raise ValueError(
                        f"unsupported split {node['decision_type']} / {node.get('missing_type')}"
                    )
                feature[i] = int(node["split_feature"])
                threshold[i] = float(node["threshold"])
                left[i] = add(node["left_child"], level + 1)
                right[i] = add(node["right_child"], level + 1)
            return i

        for tree in trees:
            roots.append(add(tree, 0))
        self.feature = np.array(feature, dtype=np.int64)
        self.threshold = np.array(threshold, dtype=np.float64)
        self.left = np.array(left, dtype=np.int64)
        self.right = np.array(right, dtype=np.int64)
        self.value = np.array(value, dtype=np.float64)
        self.roots = np.array(roots, dtype=np.int64)
        self.depth = depth

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The ranker's raw score of each row of `x` (no missing values): higher is better."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        flat = x.ravel()
        row_start = (np.arange(len(x)) * x.shape[1])[None, :]
        node = np.repeat(self.roots[:, None], len(x), axis=1)
        for _ in range(self.depth):
            go_left = flat.take(row_start + self.feature.take(node)) <= self.threshold.take(node)
            node = np.where(go_left, self.left.take(node), self.right.take(node))
        return self.value.take(node).sum(0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The raw scores squashed into (0, 1) (same order): the suggestions' `score`."""
        from scipy.special import expit

        return expit(self.raw(x))


def _bm25(tf: sparse.csr_matrix, avg: float | None = None) -> sparse.csr_matrix:
    """Per (doc, term) BM25 weights with IDF folded in."""
    dl = np.asarray(tf.sum(1)).ravel()
    if avg is None:
        avg = dl.mean() if len(dl) else 1.0
    df = np.asarray((tf > 0).sum(0)).ravel()
    n = tf.shape[0]
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    coo = tf.tocoo()
    norm = BM25_K1 * (1 - BM25_B + BM25_B * dl[coo.row] / max(avg, 1e-9))
    data = coo.data * (BM25_K1 + 1) / (coo.data + norm) * idf[coo.col]
    return sparse.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)


def _count_matrix(docs: Iterable[list[str]], vocab: dict[str, int], grow: bool) -> sparse.csr_matrix:
    indptr, indices, data = [0], [], []
    for tokens in docs:
        for token, n in Counter(tokens).items():
            j = vocab.get(token)
            if j is None:
                if not grow:
                    continue
                j = vocab[token] = len(vocab)
            indices.append(j)
            data.append(n)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(indptr) - 1, len(vocab)),
    )


def _answer_vectors(
    known: Sequence[KnownQuestion], vocab: dict[str, int], segment: Callable[[str], list[str]]
) -> sparse.csr_matrix:
    """Known questions' answers as L2-normalised log-TF·IDF rows over the article vocabulary."""
    tf = _count_matrix((segment(q.answer) for q in known), vocab, False)
    if not tf.nnz:
        return tf
    tf.data = 1 + np.log(tf.data)
    df = np.asarray((tf > 0).sum(0)).ravel()
    idf = np.log((tf.shape[0] + 1) / (df + 1)).astype(np.float32)
    m = sparse.csr_matrix(tf.multiply(idf))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(1)).ravel())
    return sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-9)) @ m, dtype=np.float32)


class ArticleSuggester:
    """The trained index. Build with `build_suggester`, then `suggest(text, k)`."""

    def __init__(
        self,
        *,
        refs: list[tuple[str, int, int]],
        law_of: np.ndarray,
        n_laws: int,
        vocab: dict[str, int],
        words: sparse.csc_matrix,
        bigram_vocab: dict[str, int],
        bigrams: sparse.csr_matrix,
        known_ids: list[str],
        known_vocab: dict[str, int],
        known_idf: np.ndarray,
        known_t: sparse.csr_matrix,
        known_articles: sparse.csr_matrix,
        popularity: np.ndarray,
        law_names: list[str],
        known_answers: sparse.csr_matrix,
        section_of: np.ndarray,
        sections: sparse.csc_matrix,
        vector_stamp: str | None = None,
        article_vectors: np.ndarray | None = None,
        known_vectors: np.ndarray | None = None,
    ) -> None:
        self.format_version = FORMAT_VERSION
        #: The embedding model the stored vectors come from (None: no dense evidence); a query
        #: vector from another model is never compared with them.
        self.vector_stamp = vector_stamp
        #: Unit passage vectors (float32) of the articles and known questions, row for row;
        #: a zero row where none was bundled.
        self.article_vectors = article_vectors
        self.known_vectors = known_vectors
        #: The file next to the saved model holding `article_vectors` (set by `save`).
        self.article_vectors_file: str | None = None
        self.known_answers = known_answers
        self.section_of = section_of
        self.sections = sections
        # The article before and after each one in the same law (-1: none).
        same_prev = np.r_[False, law_of[1:] == law_of[:-1]]
        same_next = np.r_[law_of[:-1] == law_of[1:], False]
        idx = np.arange(len(law_of))
        self.prev_article = np.where(same_prev, idx - 1, -1)
        self.next_article = np.where(same_next, idx + 1, -1)
        # Articles grouped by section and by law (stable order), for per-group maxima.
        self.section_order = np.argsort(section_of, kind="stable")
        self.section_starts = np.flatnonzero(np.r_[True, np.diff(section_of[self.section_order]) != 0])
        self.law_order = np.argsort(law_of, kind="stable")
        self.law_starts = np.flatnonzero(np.r_[True, np.diff(law_of[self.law_order]) != 0])
        self.refs = refs
        self.law_names = law_names
        self.law_of = law_of
        self.n_laws = n_laws
        self.vocab = vocab
        self.words = words
        self.bigram_vocab = bigram_vocab
        self.bigrams = bigrams
        self.known_ids = known_ids
        self.known_pos = {k: i for i, k in enumerate(known_ids)}
        self.known_vocab = known_vocab
        self.known_idf = known_idf
        self.known_t = known_t
        self.known_articles = known_articles
        self.popularity = popularity
        #: Learned re-ranker: the model trained on all known questions with gold articles, the
        #: cross-fitted fold models, and the fold of each training question (see `fit_reranker`).
        self.reranker: TreeEnsemble | None = None
        self.fold_rerankers: list[TreeEnsemble] = []
        self.rerank_fold: dict[str, int] = {}
        #: Whether the re-ranker learnt from the dense evidence (then it needs a query vector).
        self.reranker_dense = False
        self.segment: Callable[[str], list[str]] | None = None
        self.analyze: Callable[[str], list[tuple[str, float]]] | None = None

    # The segmenter is injected after loading (it is not pickled with the model).
    def use_segmenter(
        self, segment: Callable[[str], list[str]], analyze: Callable[[str], list[tuple[str, float]]]
    ) -> None:
        self.segment = segment
        self.analyze = analyze

    def _knowledge(self, text: str, exclude: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Article scores from the similar known questions, the best similarity of a neighbour
        citing each article, and the similarities themselves."""
        assert self.segment is not None
        counts = Counter(t for t in self.segment(text) if t in self.known_vocab)
        sims = np.zeros(len(self.known_ids))
        if counts:
            idx = np.array([self.known_vocab[t] for t in counts])
            val = np.array([1 + math.log(n) for n in counts.values()]) * self.known_idf[idx]
            val /= np.linalg.norm(val) or 1.0
            sims = np.asarray(self.known_t[idx].T @ val).ravel()
        for known_id in exclude:
            pos = self.known_pos.get(known_id)
            if pos is not None:
                sims[pos] = 0.0
        top = np.argpartition(-sims, min(KNN, len(sims) - 1))[:KNN]
        weights = np.zeros(len(sims), dtype=np.float32)
        weights[top] = np.maximum(sims[top], 0) ** KNN_POWER
        best = np.zeros(self.known_articles.shape[1], dtype=np.float32)
        for i in top[np.argsort(sims[top])]:  # ascending: the most similar citer writes last
            if sims[i] > 0:
                best[self.known_articles[i].indices] = sims[i]
        return np.asarray(self.known_articles.T @ weights).ravel(), best, sims

    def _feedback_terms(self, sims: np.ndarray) -> dict[int, float]:
        """The strongest terms of the nearest known questions' answers, weighted by similarity."""
        if not PRF_WEIGHT or self.known_answers.shape[1] == 0:
            return {}
        top = np.argpartition(-sims, min(PRF_NEIGHBOURS, len(sims) - 1))[:PRF_NEIGHBOURS]
        top = top[sims[top] > 0]
        if not len(top):
            return {}
        vec = self.known_answers[top].T @ sims[top].astype(np.float32)
        nz = np.flatnonzero(vec)
        if not len(nz):
            return {}
        best = nz[np.argsort(-vec[nz])[:PRF_TERMS]]
        scale = PRF_WEIGHT / float(vec[best[0]])
        return {int(j): float(vec[j]) * scale for j in best}

    def uses_vectors(self) -> bool:
        """Whether this model has stored vectors to compare a query vector with."""
        return getattr(self, "vector_stamp", None) is not None

    def _group_max(self, values: np.ndarray, order: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Per group (law or section) maximum of `values`, one per group id."""
        return np.maximum.reduceat(values[order], starts) if len(values) else values

    def _dense(self, vector: np.ndarray | None, exclude: Sequence[str]) -> dict[str, np.ndarray]:
        """The embedding evidence: the articles of the known questions nearest to the query
        vector (weighted exp((sim − best) / T)), the best similarity of such a neighbour citing
        each article, its gap to the nearest neighbour and that neighbour's similarity; each
        article's own cosine with the query, its gap to the best article, the best cosine in its
        law and section and next to it (as gaps to the best article), and its gap to the best of
        its law. All 0 without a vector."""
        n = len(self.refs)
        out = {p: np.zeros(n, dtype=np.float32) for p in DENSE_PARTS}
        if vector is None or not self.uses_vectors():
            return out
        v = np.asarray(vector, dtype=np.float32)
        if self.known_vectors is not None and len(self.known_vectors):
            sims = self.known_vectors @ v
            for known_id in exclude:
                pos = self.known_pos.get(known_id)
                if pos is not None:
                    sims[pos] = -np.inf
            k = min(DENSE_KNN, int(np.isfinite(sims).sum()))
            if k:
                top = np.argpartition(-sims, k - 1)[:k]
                top = top[np.argsort(sims[top], kind="stable")]  # ascending: the nearest writes last
                best_sim = float(sims[top[-1]])
                weights = np.zeros(len(sims), dtype=np.float32)
                weights[top] = np.exp((sims[top] - best_sim) / DENSE_TEMPERATURE)
                evidence = np.asarray(self.known_articles.T @ weights).ravel()
                out["dense_known"] = evidence / (evidence.max() or 1.0)
                best = out["dense_known_best"]
                for i in top:
                    best[self.known_articles[i].indices] = sims[i]
                out["dense_known_top"] = best - best_sim
                out["dense_known_nearest"][:] = best_sim
        if self.article_vectors is not None and len(self.article_vectors):
            cos = self.article_vectors @ v
            top = float(cos.max())
            law_max = self._group_max(cos, self.law_order, self.law_starts)[self.law_of]
            section_max = self._group_max(cos, self.section_order, self.section_starts)[self.section_of]
            out["dense_article"] = cos
            out["dense_article_gap"] = cos - top
            out["dense_law_gap"] = law_max - top
            out["dense_in_law"] = cos - law_max
            out["dense_section_gap"] = section_max - top
            out["dense_adjacent_gap"] = (
                np.maximum(
                    np.where(self.prev_article >= 0, cos[self.prev_article], 0),
                    np.where(self.next_article >= 0, cos[self.next_article], 0),
                )
                - top
            )
        return out

    def components(
        self, text: str, exclude: Sequence[str] = (), vector: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """The evidence for every article, part by part (each 0–1, 0 where there is none;
        the dense parts are cosines and their gaps). `vector`: the question's query vector."""
        assert self.analyze is not None
        n = len(self.refs)
        s_known, best_citer, sims = self._knowledge(text, exclude)
        query: dict[int, float] = self._feedback_terms(sims)
        for t, w in self.analyze(text):
            if t in self.vocab:
                query[self.vocab[t]] = max(w, query.get(self.vocab[t], 0.0))
        terms = list(query.items())
        if terms:
            cols = np.array([j for j, _ in terms])
            weights = np.array([w for _, w in terms], dtype=np.float32)
            s_words = np.asarray(self.words[:, cols] @ weights).ravel()
            s_sections = np.asarray(self.sections[:, cols] @ weights).ravel()
        else:
            s_words = np.zeros(n, dtype=np.float32)
            s_sections = np.zeros(self.sections.shape[0], dtype=np.float32)
        if exclude:
            pop = self.popularity.copy()
            for known_id in exclude:
                pos = self.known_pos.get(known_id)
                if pos is not None:
                    row = self.known_articles[pos]
                    pop[row.indices] = np.maximum(pop[row.indices] - row.data, 0)
        else:
            pop = self.popularity
        words_n = s_words / (s_words.max() or 1.0)
        known_n = s_known / (s_known.max() or 1.0)
        law_prior = np.bincount(self.law_of, weights=s_known, minlength=self.n_laws)
        law_prior /= law_prior.sum() or 1.0
        base = W_WORDS * words_n + W_KNOWLEDGE * known_n
        # Character bigrams, on the best candidates only.
        cand = np.flatnonzero(base)
        if len(cand) > CANDIDATES:
            cand = cand[np.argpartition(-base[cand], CANDIDATES)[:CANDIDATES]]
        grams = [self.bigram_vocab[g] for g in set(char_bigrams(text[:400])) if g in self.bigram_vocab]
        chars_n = np.zeros(n, dtype=np.float32)
        if grams and len(cand):
            s_chars = np.asarray(self.bigrams[cand][:, grams].sum(1)).ravel()
            chars_n[cand] = s_chars / (s_chars.max() or 1.0)
        has_text = (words_n + chars_n) > 0
        n_sections = self.sections.shape[0]
        section_prior = np.bincount(self.section_of, weights=s_known, minlength=n_sections)
        section_prior /= section_prior.max() or 1.0
        sections_n = s_sections / (s_sections.max() or 1.0)
        adjacent = np.maximum(
            np.where(self.prev_article >= 0, base[self.prev_article], 0),
            np.where(self.next_article >= 0, base[self.next_article], 0),
        )
        adjacent /= adjacent.max() or 1.0
        law_pop = np.bincount(self.law_of, weights=pop, minlength=self.n_laws)
        law_pop = np.log1p(law_pop) / (np.log1p(law_pop.max()) or 1.0)
        pop_n = np.log1p(pop) / (math.log1p(float(self.popularity.max())) or 1.0)
        return {
            "words": words_n,
            "known": known_n,
            "chars": chars_n,
            "law_prior": law_prior[self.law_of] * has_text,
            "popularity": pop_n * has_text,
            "law_popularity": law_pop[self.law_of] * has_text,
            "section_words": sections_n[self.section_of] * has_text,
            "section_prior": section_prior[self.section_of] * has_text,
            "adjacent": adjacent * has_text,
            "known_best": best_citer,
            "top_similarity": np.full(n, float(sims.max()) if len(sims) else 0.0, dtype=np.float32)
            * has_text,
            **self._dense(vector, exclude),
        }

    def scores(self, text: str, exclude: Sequence[str] = ()) -> np.ndarray:
        """Combined score of every article for `text` (0 for articles with no evidence)."""
        c = self.components(text, exclude)
        return np.vstack([c[p] for p in PARTS]).T @ PART_WEIGHTS

    def candidates(
        self,
        text: str,
        exclude: Sequence[str] = (),
        n: int = RERANK_CANDIDATES,
        vector: np.ndarray | None = None,
    ):
        """The `n` best articles by the summed score (positive scores only) and, with a query
        `vector`, the DENSE_CANDIDATES articles nearest to it; ordered by the summed score
        (best first), with their score parts (rows × PARTS) and summed scores."""
        c = self.components(text, exclude, vector)
        parts = np.vstack([c[p] for p in PARTS]).T
        s = parts @ PART_WEIGHTS
        n = min(n, len(s))
        top = np.argpartition(-s, n - 1)[:n]
        top = top[np.argsort(-s[top], kind="stable")]
        top = top[s[top] > 0]
        if vector is not None and self.uses_vectors() and self.article_vectors is not None:
            cos = c["dense_article"]
            m = min(DENSE_CANDIDATES, len(cos))
            near = np.argpartition(-cos, m - 1)[:m]
            near = near[np.argsort(-cos[near], kind="stable")]
            near = near[~np.isin(near, top) & (cos[near] > 0)]
            top = np.concatenate([top, near])
            top = top[np.argsort(-s[top], kind="stable")]
        return top, parts[top], s[top]

    def _reranker_for(self, exclude: Sequence[str], dense: bool = False) -> TreeEnsemble | None:
        """The re-ranker that never saw any of the `exclude`d questions (None: no such model).
        A re-ranker trained on the dense evidence is not used without it (`dense` False)."""
        if getattr(self, "reranker_dense", False) and not dense:
            return None
        if not exclude:
            return getattr(self, "reranker", None)
        folds = {self.rerank_fold.get(q) for q in exclude} if getattr(self, "rerank_fold", None) else {None}
        folds.discard(None)
        if not folds:
            return getattr(self, "reranker", None)
        if len(folds) > 1:
            return None
        return self.fold_rerankers[folds.pop()]

    def suggest(
        self, text: str, k: int = 5, exclude: Sequence[str] = (), vector: np.ndarray | None = None
    ) -> list[Suggestion]:
        """The `k` best articles for `text`, best first (fewer if little matches). `vector`: the
        question's query vector (`lawqa.embeddings.model.embed_query` of `vectors.query_text`);
        without it (the embedding model unavailable) the suggestions are lexical only."""
        text = (text or "").strip()
        if not text or k <= 0:
            return []
        if vector is not None and not self.uses_vectors():
            vector = None
        reranker = self._reranker_for(exclude, dense=vector is not None)
        if reranker is not None and not self.reranker_dense:
            vector = None  # a re-ranker that learnt from words only re-ranks lexical candidates
        top, parts, s = self.candidates(text, exclude, max(k, RERANK_CANDIDATES if reranker else k), vector)
        if reranker is not None and len(top):
            head = len(top) if vector is not None else min(len(top), RERANK_CANDIDATES)
            p = reranker.predict(rerank_features(parts[:head], s[:head]))
            order = np.argsort(-p, kind="stable")
            # Re-ranked candidates first (score: the probability of being relevant), then the
            # rest by the summed score, below them.
            ranked = [(int(top[j]), float(p[j])) for j in order]
            floor = float(p.min()) if len(p) else 0.0
            ranked += [
                (int(i), floor * float(v) / float(s[0])) for i, v in zip(top[head:], s[head:], strict=True)
            ]
        else:
            ranked = [(int(i), float(v)) for i, v in zip(top, s, strict=True)]
        return [
            Suggestion(*self.refs[i], score=round(v, 4), law_name=self.law_names[i]) for i, v in ranked[:k]
        ]

    def save(self, path: Path) -> None:
        """Pickle the model to `path`; the article vectors go to a file of their own next to it,
        named by their content (`<stem>-<digest>.npy`), that `load` memory-maps: processes
        loading the same model share those pages instead of each holding a copy."""
        seg, ana, vectors = self.segment, self.analyze, self.article_vectors
        self.segment = self.analyze = None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if vectors is not None:
                vectors = np.ascontiguousarray(vectors, dtype=np.float32)
                name = f"{path.stem}-{hashlib.sha256(vectors.tobytes()).hexdigest()[:16]}.npy"
                target = path.with_name(name)
                if not target.exists():
                    tmp = path.with_name(f"{name}.tmp")
                    with tmp.open("wb") as fh:
                        np.save(fh, vectors)
                    tmp.replace(target)
                self.article_vectors = None
                self.article_vectors_file = name
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        finally:
            self.segment, self.analyze, self.article_vectors = seg, ana, vectors
        # Vector files of earlier models are no longer referenced.
        for old in path.parent.glob(f"{path.stem}-*.npy"):
            if old.name != getattr(self, "article_vectors_file", None):
                old.unlink(missing_ok=True)

    @staticmethod
    def load(path: Path) -> ArticleSuggester:
        # Our own artefact, written by train_legalai on this machine.
        model = pickle.loads(path.read_bytes())  # noqa: S301 - trusted local file
        if getattr(model, "format_version", 1) != FORMAT_VERSION:
            raise OutdatedModel(f"{path} 是旧版本的模型，请重新运行 python manage.py train_legalai")
        name = model.article_vectors_file
        if name is not None:
            try:
                model.article_vectors = np.load(path.with_name(name), mmap_mode="r")
                if model.article_vectors.shape != (len(model.refs), model.known_vectors.shape[1]):
                    raise ValueError(f"shape {model.article_vectors.shape}")
            except (OSError, ValueError) as exc:
                # Words only until the next train_legalai, never a failed page.
                logger.warning("article vectors %s unusable (%s): suggestions from words only", name, exc)
                model.vector_stamp = model.article_vectors = None
        return model


def build_suggester(
    articles: Sequence[ArticleDoc],
    known: Sequence[KnownQuestion],
    *,
    segment: Callable[[str], list[str]],
    analyze: Callable[[str], list[tuple[str, float]]],
    vector_stamp: str | None = None,
    article_vectors: np.ndarray | None = None,
    known_vectors: dict[str, np.ndarray] | None = None,
) -> ArticleSuggester:
    """Index `articles` and the `known` questions (their articles must be among `articles`).
    With `vector_stamp`, also their stored passage vectors: `article_vectors` row for row with
    `articles` (zero rows where missing), `known_vectors` by question id."""
    refs = [(a.law, a.number, a.sub) for a in articles]
    pos = {r: i for i, r in enumerate(refs)}
    law_ids: dict[str, int] = {}
    law_of = np.array([law_ids.setdefault(a.law, len(law_ids)) for a in articles], dtype=np.int64)
    vocab: dict[str, int] = {}
    words_tf = _count_matrix(
        (segment(" ".join((a.law_short or a.law, *a.headings[-1:], a.text))) for a in articles), vocab, True
    )
    # Sections (the law and the article's headings) as documents: their articles' words.
    section_ids: dict[tuple[str, tuple[str, ...]], int] = {}
    section_of = np.array(
        [section_ids.setdefault((a.law, a.headings), len(section_ids)) for a in articles], dtype=np.int64
    )
    membership = sparse.csr_matrix(
        (np.ones(len(articles), dtype=np.float32), (section_of, np.arange(len(articles)))),
        shape=(len(section_ids), len(articles)),
    )
    sections_tf = sparse.csr_matrix(membership @ words_tf)
    bigram_vocab: dict[str, int] = {}
    bigram_tf = _count_matrix((char_bigrams(a.text) for a in articles), bigram_vocab, True)
    known = [q for q in known if any(r in pos for r in q.articles)]
    known_vocab: dict[str, int] = {}
    known_tf = _count_matrix((segment(q.text) for q in known), known_vocab, True)
    known_tf.data = 1 + np.log(known_tf.data)
    df = np.asarray((known_tf > 0).sum(0)).ravel()
    known_idf = np.log((len(known) + 1) / (df + 1)) + 1
    known_t = sparse.csr_matrix(known_tf.multiply(known_idf))
    norms = np.sqrt(np.asarray(known_t.multiply(known_t).sum(1)).ravel())
    known_t = sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-9)) @ known_t, dtype=np.float32)
    rows, cols, vals = [], [], []
    for i, q in enumerate(known):
        for ref, weight in q.articles.items():
            if ref in pos:
                rows.append(i)
                cols.append(pos[ref])
                vals.append(weight)
    known_articles = sparse.csr_matrix(
        (np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(known), len(refs))
    )
    model = ArticleSuggester(
        refs=refs,
        law_of=law_of,
        n_laws=len(law_ids),
        vocab=vocab,
        words=sparse.csc_matrix(_bm25(words_tf)),
        bigram_vocab=bigram_vocab,
        bigrams=_bm25(bigram_tf),
        known_ids=[q.id for q in known],
        known_vocab=known_vocab,
        known_idf=known_idf.astype(np.float32),
        known_t=sparse.csr_matrix(known_t.T),  # vocab × known: rows are terms
        known_articles=known_articles,
        popularity=np.asarray(known_articles.sum(0)).ravel().astype(np.float32),
        law_names=[a.law_short or a.law for a in articles],
        known_answers=_answer_vectors(known, vocab, segment),
        section_of=section_of,
        sections=sparse.csc_matrix(_bm25(sections_tf)),
    )
    if vector_stamp is not None and article_vectors is not None and known_vectors is not None:
        from lawqa.embeddings.model import DIM

        none = np.zeros(DIM, dtype=np.float32)
        model.vector_stamp = vector_stamp
        model.article_vectors = np.ascontiguousarray(article_vectors, dtype=np.float32)
        model.known_vectors = np.array([known_vectors.get(q.id, none) for q in known], dtype=np.float32)
        model.known_vectors = model.known_vectors.reshape(len(known), DIM)
    model.use_segmenter(segment, analyze)
    return model


def fit_reranker(
    model: ArticleSuggester,
    known: Sequence[KnownQuestion],
    *,
    seed: int = 0,
    vectors: dict[str, np.ndarray] | None = None,
) -> int:
    """Train the re-ranker on the known questions with gold articles, each scored with itself
    excluded (as at evaluation); also one model per fold of RERANK_FOLDS, so that
    `suggest(..., exclude=(id,))` re-ranks with a model that never saw that question.
    A LambdaMART ranker (LightGBM's lambdarank, one group per question): it learns the order of
    a question's candidates, where a classifier of single rows learnt whether a row is relevant
    at all (leave-one-out on statute_dev: recall@10 0.650 → 0.671, MRR 0.602 → 0.652).
    `vectors`: the questions' query vectors (by id), when the model has stored vectors — the
    re-ranker then learns from the dense evidence and its candidates. Returns the number of
    training questions."""
    import lightgbm

    pos = {r: i for i, r in enumerate(model.refs)}
    train = sorted(
        (q for q in known if q.id in model.known_pos and any(w >= 1.0 for w in q.articles.values())),
        key=lambda q: q.id,
    )
    dense = bool(vectors) and model.uses_vectors()
    if dense:
        train = [q for q in train if q.id in vectors]
    xs, ys = [], []
    for q in train:
        gold = {pos[r] for r, w in q.articles.items() if w >= 1.0 and r in pos}
        top, parts, s = model.candidates(q.text, (q.id,), vector=vectors[q.id] if dense else None)
        xs.append(rerank_features(parts, s))
        ys.append(np.array([i in gold for i in top], dtype=bool))
    labels = np.concatenate(ys) if ys else np.zeros(0, dtype=bool)
    if len(train) < 10 * RERANK_FOLDS or labels.all() or not labels.any():
        return 0  # too little to learn from: suggestions keep the summed score
    fold_of = np.random.default_rng(seed).permutation(len(train)) % RERANK_FOLDS
    params = {
        "objective": "lambdarank",
        "learning_rate": 0.05,
        "num_leaves": RERANK_LEAVES,
        "max_depth": RERANK_DEPTH,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": RERANK_THREADS,
        "verbose": -1,
    }

    def fit(rows: np.ndarray) -> TreeEnsemble:
        data = lightgbm.Dataset(
            np.vstack([xs[i] for i in rows]),
            np.concatenate([ys[i] for i in rows]).astype(np.int32),
            group=[len(ys[i]) for i in rows],
        )
        return TreeEnsemble(lightgbm.train(params, data, num_boost_round=RERANK_TREES))

    everything = np.arange(len(train))
    model.fold_rerankers = [fit(everything[fold_of != f]) for f in range(RERANK_FOLDS)]
    model.reranker = fit(everything)
    model.reranker_dense = dense
    model.rerank_fold = {q.id: int(f) for q, f in zip(train, fold_of, strict=True)}
    return len(train)
