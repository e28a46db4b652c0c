"""Statute article suggestions for a question: BM25 + platform knowledge, pure and fast.

Pure module (no Django). The score of an article for a question adds up

* BM25 over the segmented article text (law name, headings, text), the query expanded with
  the colloquial → legal synonyms of the search segmenter and with the strongest terms of the
  answers to the most similar known questions (pseudo-relevance feedback: legal wording);
* BM25 over character bigrams of the article text (catches words the segmenter cuts
  differently), computed on the candidates only;
* platform knowledge: the articles attached to the most similar known questions (bundled
  questions with their gold articles, answers' citations), weighted by similarity²;
* a law-level prior (the laws those similar questions cite) and a small popularity prior.

A known question can be excluded by id (``exclude``), so that evaluation never lets a question
help to answer itself.
"""

from __future__ import annotations

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
#: Similar known questions used, and the exponent on their similarity.
KNN = 30
KNN_POWER = 2.0
#: Pseudo-relevance feedback: terms taken from the answers of the similar known questions
#: (legal wording for a colloquial question), how many, and their weight at most.
PRF_NEIGHBOURS = 5
PRF_TERMS = 30
PRF_WEIGHT = 0.4
#: Candidates re-scored with the character-bigram BM25.
CANDIDATES = 1500
BM25_K1 = 1.2
BM25_B = 0.75

_NON_TEXT = re.compile(r"[^\u4e00-\u9fff0-9a-zA-Z]")


@dataclass(frozen=True)
class ArticleDoc:
    """One article to index: the law's title as we output it, number, 之X, headings, text."""

    law: str
    number: int
    sub: int
    text: str
    headings: tuple[str, ...] = ()
    law_short: str = ""


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
    ) -> None:
        self.known_answers = known_answers
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
        self.segment: Callable[[str], list[str]] | None = None
        self.analyze: Callable[[str], list[tuple[str, float]]] | None = None

    # The segmenter is injected after loading (it is not pickled with the model).
    def use_segmenter(
        self, segment: Callable[[str], list[str]], analyze: Callable[[str], list[tuple[str, float]]]
    ) -> None:
        self.segment = segment
        self.analyze = analyze

    def _knowledge(self, text: str, exclude: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Article scores from the similar known questions, and the similarities themselves."""
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
        return np.asarray(self.known_articles.T @ weights).ravel(), sims

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

    def scores(self, text: str, exclude: Sequence[str] = ()) -> np.ndarray:
        """Combined score of every article for `text` (0 for articles with no evidence)."""
        assert self.analyze is not None
        n = len(self.refs)
        s_known, sims = self._knowledge(text, exclude)
        query: dict[int, float] = self._feedback_terms(sims)
        for t, w in self.analyze(text):
            if t in self.vocab:
                query[self.vocab[t]] = max(w, query.get(self.vocab[t], 0.0))
        terms = list(query.items())
        if terms:
            cols = np.array([j for j, _ in terms])
            s_words = np.asarray(
                self.words[:, cols] @ np.array([w for _, w in terms], dtype=np.float32)
            ).ravel()
        else:
            s_words = np.zeros(n, dtype=np.float32)
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
        law_pop = np.bincount(self.law_of, weights=pop, minlength=self.n_laws)
        law_pop = np.log1p(law_pop) / (np.log1p(law_pop.max()) or 1.0)
        pop_n = np.log1p(pop) / (math.log1p(float(self.popularity.max())) or 1.0)
        return (
            base
            + W_CHARS * chars_n
            + (
                W_LAW_PRIOR * law_prior[self.law_of]
                + W_POPULARITY * pop_n
                + W_LAW_POPULARITY * law_pop[self.law_of]
            )
            * has_text
        )

    def suggest(self, text: str, k: int = 5, exclude: Sequence[str] = ()) -> list[Suggestion]:
        """The `k` best articles for `text`, best first (fewer if little matches)."""
        text = (text or "").strip()
        if not text or k <= 0:
            return []
        s = self.scores(text, exclude)
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return [
            Suggestion(*self.refs[i], score=round(float(s[i]), 4), law_name=self.law_names[i])
            for i in top
            if s[i] > 0
        ]

    def save(self, path: Path) -> None:
        seg, ana = self.segment, self.analyze
        self.segment = self.analyze = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        finally:
            self.segment, self.analyze = seg, ana

    @staticmethod
    def load(path: Path) -> ArticleSuggester:
        # Our own artefact, written by train_legalai on this machine.
        return pickle.loads(path.read_bytes())  # noqa: S301 - trusted local file


def build_suggester(
    articles: Sequence[ArticleDoc],
    known: Sequence[KnownQuestion],
    *,
    segment: Callable[[str], list[str]],
    analyze: Callable[[str], list[tuple[str, float]]],
) -> ArticleSuggester:
    """Index `articles` and the `known` questions (their articles must be among `articles`)."""
    refs = [(a.law, a.number, a.sub) for a in articles]
    pos = {r: i for i, r in enumerate(refs)}
    law_ids: dict[str, int] = {}
    law_of = np.array([law_ids.setdefault(a.law, len(law_ids)) for a in articles], dtype=np.int64)
    vocab: dict[str, int] = {}
    words_tf = _count_matrix(
        (segment(" ".join((a.law_short or a.law, *a.headings[-1:], a.text))) for a in articles), vocab, True
    )
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
    )
    model.use_segmenter(segment, analyze)
    return model
