"""Practice-area classifier: TF-IDF (characters + words) + keyword features + linear SVM.

Pure module (no Django). Trained on the labelled dev examples plus weak labels derived from
the bundled questions (hand keyword rules, areas of the statutes their answers cite), with the
weak examples down-weighted and balanced per area so the big areas do not swamp the small ones.
Deterministic: same data in, same model out.

>>> model = train_classifier(
...     [("老公出轨要离婚", "婚姻家庭"), ("公司拖欠工资", "劳动纠纷")] * 3, weak=[("离婚财产", "婚姻家庭")]
... )
>>> model.predict("我要离婚").area
'婚姻家庭'
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lawqa.legalai.areas import AREAS, keyword_scores

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

#: Weight of one weak-labelled example relative to a hand-labelled one.
WEAK_WEIGHT = 0.3
#: Cap on the per-area balancing factor of weak examples (times WEAK_WEIGHT).
WEAK_BALANCE_CAP = 3.0
#: Scale of the keyword-score features next to the TF-IDF features.
KEYWORD_FEATURE_WEIGHT = 0.5
#: Scale of the question's embedding (384 unit-vector components, lawqa.embeddings) next to
#: the TF-IDF features (chosen by keyword-free cross-validation, see docs/legalai.md).
EMBEDDING_FEATURE_WEIGHT = 1.5
#: The SVMs' regularisation, words-only head and embedded head.
WORDS_C = 0.5
EMBEDDED_C = 0.3
#: Default softmax temperature turning SVM margins into a confidence in [0, 1]; `train_legalai`
#: replaces it by one fitted on cross-validated margins (`fit_temperature`), so that a
#: confidence of 0.6 means "right about 60 % of the time".
CONFIDENCE_TEMPERATURE = 0.3
#: Longest text looked at (title + detail); the topic is in the first sentences.
MAX_CHARS = 500
#: Version of the saved model's layout: an older file is refused (`OutdatedModel`) rather than
#: failing on attributes it lacks; `make setup` retrains.
FORMAT_VERSION = 2


class OutdatedModel(ValueError):
    """The saved classifier was written by an older version of this module."""


@dataclass(frozen=True)
class AreaPrediction:
    """The predicted practice area, the model's confidence, and the runner-up areas."""

    area: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]


def _words(text: str) -> list[str]:
    """Word tokens for the word TF-IDF: the search segmenter (same tokens as search)."""
    from lawqa.search.segmentation import segment

    return segment(text)


def keyword_features(texts: Sequence[str]) -> csr_matrix:
    """One column per area: log(1 + keyword score) of the hand rules.

    >>> keyword_features(["被撞了 交警"]).shape
    (1, 20)
    """
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        for area, score in keyword_scores(text).items():
            rows.append(i)
            cols.append(AREAS.index(area))
            vals.append(math.log1p(score))
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(AREAS)), dtype=np.float64)


_WHITESPACE = re.compile(r"\s\s+")


class AreaClassifier:
    """A trained classifier, compiled to plain dicts and arrays: `predict` computes the same
    TF-IDF features as scikit-learn's vectorizers without their per-call validation overhead
    (well under a millisecond per question)."""

    def __init__(
        self,
        chars: TfidfVectorizer,
        words: TfidfVectorizer,
        svm: LinearSVC | None,
        *,
        keyword_weight: float = KEYWORD_FEATURE_WEIGHT,
        embedded: LinearSVC | None = None,
        vector_stamp: str | None = None,
        embedding_weight: float = EMBEDDING_FEATURE_WEIGHT,
    ) -> None:
        self.char_vocab: dict[str, int] = {k: int(v) for k, v in chars.vocabulary_.items()}
        self.char_idf = chars.idf_.astype(np.float32)
        self.word_vocab: dict[str, int] = {k: int(v) for k, v in words.vocabulary_.items()}
        self.word_idf = words.idf_.astype(np.float32)
        some = svm if svm is not None else embedded
        assert some is not None, "a classifier needs at least one trained head"
        self.classes: list[str] = [str(c) for c in some.classes_]
        #: Two heads over the same features: words (+ keyword rules) only, and the same plus the
        #: question's embedding (its coefficients are the last rows). The embedded head is used
        #: when a query vector is given; without one (no embedding model) the words-only head.
        self.coef_t, self.intercept = _compiled(svm, self.classes)
        self.embedded_coef_t, self.embedded_intercept = _compiled(embedded, self.classes)
        self.n_chars = len(self.char_idf)
        self.n_words = len(self.word_idf)
        self.temperature = CONFIDENCE_TEMPERATURE
        self.format_version = FORMAT_VERSION
        #: Weight of the hand keyword rules' features (0: not used).
        self.keyword_weight = keyword_weight
        #: The embedding model of the training vectors (None: no embedded head), and the weight
        #: of the embedding next to the TF-IDF features.
        self.vector_stamp = vector_stamp if embedded is not None else None
        self.embedding_weight = embedding_weight

    @staticmethod
    def _tfidf(counts: Counter[str], vocab: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx = np.fromiter((vocab[t] for t in counts if t in vocab), dtype=np.int64)
        if not len(idx):
            return idx, np.zeros(0, dtype=np.float32)
        tf = np.fromiter((c for t, c in counts.items() if t in vocab), dtype=np.float32)
        val = (1 + np.log(tf)) * idf[idx]
        return idx, val / (np.linalg.norm(val) or 1.0)

    def _scores(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        embedded = self.embedded_coef_t is not None and (vector is not None or self.coef_t is None)
        coef, scores = (
            (self.embedded_coef_t, self.embedded_intercept.copy())
            if embedded
            else (self.coef_t, self.intercept.copy())
        )
        text = text[:MAX_CHARS]
        chars = _WHITESPACE.sub(" ", text.lower())
        grams: Counter[str] = Counter()
        for n in (1, 2, 3):
            grams.update(chars[i : i + n] for i in range(len(chars) - n + 1))
        c_idx, c_val = self._tfidf(grams, self.char_vocab, self.char_idf)
        w_idx, w_val = self._tfidf(Counter(_words(text)), self.word_vocab, self.word_idf)
        if len(c_idx):
            scores += c_val @ coef[c_idx]
        if len(w_idx):
            scores += w_val @ coef[self.n_chars + w_idx]
        base = self.n_chars + self.n_words
        if self.keyword_weight:
            for area, score in keyword_scores(text).items():
                scores += self.keyword_weight * math.log1p(score) * coef[base + AREAS.index(area)]
        if embedded and vector is not None:
            scores += self.embedding_weight * np.asarray(vector, dtype=np.float32) @ coef[-len(vector) :]
        return scores

    def margins(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        """The raw SVM margins of `text` (and its query `vector`), one per class (`classes`)."""
        return self._scores(text or "", vector)

    def predict(self, text: str, vector: np.ndarray | None = None) -> AreaPrediction:
        """The area of `text`; `vector`: its query embedding (`lawqa.embeddings.model.embed_query`
        of `vectors.query_text`) when the model was trained with embeddings — without it the
        prediction rests on the words alone."""
        p = softmax(self._scores(text or "", vector), self.temperature)
        order = np.argsort(-p)
        ranking = tuple((self.classes[j], round(float(p[j]), 4)) for j in order[:5])
        return AreaPrediction(ranking[0][0], ranking[0][1], ranking)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> AreaClassifier:
        # Our own artefact, written by train_legalai on this machine.
        model = pickle.loads(path.read_bytes())  # noqa: S301 - trusted local file
        if getattr(model, "format_version", 1) != FORMAT_VERSION:
            raise OutdatedModel(f"{path} 是旧版本的模型，请重新运行 python manage.py train_legalai")
        return model


def _compiled(svm: LinearSVC | None, classes: list[str]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A trained linear SVM as (features × classes coefficients, intercepts), float32."""
    if svm is None:
        return None, None
    assert [str(c) for c in svm.classes_] == classes
    coef, intercept = svm.coef_, svm.intercept_
    if len(classes) == 2 and coef.shape[0] == 1:  # binary: one margin, for classes[1]
        coef, intercept = np.vstack([-coef, coef]) / 2, np.concatenate([-intercept, intercept]) / 2
    return np.ascontiguousarray(coef.T, dtype=np.float32), intercept.astype(np.float32)


def softmax(margins: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of margins / temperature, along the last axis.

    >>> softmax(np.array([1.0, 0.0]), 1.0).round(3).tolist()
    [0.731, 0.269]
    """
    z = np.exp((margins - margins.max(axis=-1, keepdims=True)) / temperature)
    return z / z.sum(axis=-1, keepdims=True)


def fit_temperature(margins: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature minimising the log-loss of held-out `margins` (n × classes)
    against the `gold` class indices: temperature scaling (Guo et al. 2017), fitted on
    cross-validated predictions so a confidence means what it says. Changes no prediction.

    >>> m = np.array([[2.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 0.0]])  # 3 of 4 right
    >>> round(fit_temperature(m, np.array([0, 0, 1, 1])), 2)
    1.83
    """
    best_t, best_nll = CONFIDENCE_TEMPERATURE, math.inf
    for t in np.exp(np.linspace(math.log(0.02), math.log(20.0), 400)):
        p = softmax(margins, float(t))[np.arange(len(gold)), gold]
        nll = -float(np.log(np.maximum(p, 1e-12)).mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def calibration(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict[str, float]:
    """Mean confidence, accuracy and expected calibration error (equal-width bins).

    >>> calibration([0.9, 0.9, 0.5, 0.5], [True, True, True, False])
    {'mean_confidence': 0.7, 'accuracy': 0.75, 'ece': 0.05}
    """
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=float)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    ece = sum(
        abs(conf[which == b].mean() - ok[which == b].mean()) * (which == b).mean()
        for b in range(bins)
        if (which == b).any()
    )
    return {
        "mean_confidence": round(float(conf.mean()), 4),
        "accuracy": round(float(ok.mean()), 4),
        "ece": round(float(ece), 4),
    }


def _features(
    chars: TfidfVectorizer,
    words: TfidfVectorizer,
    texts: Sequence[str],
    keyword_weight: float,
    vectors: np.ndarray | None,
    embedding_weight: float,
) -> csr_matrix:
    from scipy.sparse import csr_matrix, hstack

    parts = [chars.transform(texts), words.transform(texts)]
    if keyword_weight:
        parts.append(keyword_weight * keyword_features(texts))
    if vectors is not None:
        parts.append(csr_matrix(embedding_weight * np.asarray(vectors, dtype=np.float64)))
    return hstack(parts).tocsr()


def train_classifier(
    labelled: Iterable[tuple[str, str]],
    weak: Iterable[tuple[str, str]] = (),
    *,
    unlabelled: Iterable[str] = (),
    words: Callable[[str], list[str]] | None = None,
    keywords: bool = True,
    vectors: np.ndarray | None = None,
    vector_stamp: str | None = None,
    words_head: bool = True,
) -> AreaClassifier:
    """Fit on hand-labelled (text, area) pairs plus weak pairs; `unlabelled` texts only widen
    the vocabulary and IDF statistics. `keywords`: use the hand keyword rules as features.
    `vectors`: the embeddings of the labelled then the weak texts, row for row (made by the
    model `vector_stamp`): a second, embedded head is trained with them as features too;
    `words_head` False leaves out the words-only head (cross-validation measures the other)."""
    # scikit-learn is only needed to train (a loaded model is plain dicts and arrays).
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    labelled = [(t[:MAX_CHARS], a) for t, a in labelled]
    weak = [(t[:MAX_CHARS], a) for t, a in weak]
    texts = [t for t, _ in labelled] + [t for t, _ in weak]
    if vectors is not None and (vector_stamp is None or len(vectors) != len(texts)):
        raise ValueError("vectors must come with their model stamp, one row per labelled and weak text")
    vocab_texts = texts + [t[:MAX_CHARS] for t in unlabelled]
    chars = TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        sublinear_tf=True,
        min_df=2,
        max_features=200_000,
        dtype=np.float64,
    )
    word_vec = TfidfVectorizer(
        tokenizer=words or _words, token_pattern=None, lowercase=False, sublinear_tf=True, dtype=np.float64
    )
    chars.fit(vocab_texts)
    word_vec.fit(vocab_texts)
    per_area = Counter(a for _, a in weak)
    weights = [1.0] * len(labelled)
    for _, area in weak:
        balance = len(weak) / len(AREAS) / per_area[area]
        weights.append(WEAK_WEIGHT * min(balance, WEAK_BALANCE_CAP))
    keyword_weight = KEYWORD_FEATURE_WEIGHT if keywords else 0.0
    labels = [a for _, a in labelled] + [a for _, a in weak]

    def fit(with_vectors: np.ndarray | None, c: float) -> LinearSVC:
        svm = LinearSVC(C=c, random_state=0, max_iter=5000)
        features = _features(chars, word_vec, texts, keyword_weight, with_vectors, EMBEDDING_FEATURE_WEIGHT)
        return svm.fit(features, labels, sample_weight=np.array(weights))

    embedded = fit(vectors, EMBEDDED_C) if vectors is not None else None
    words_only = fit(None, WORDS_C) if vectors is None or words_head else None
    return AreaClassifier(
        chars,
        word_vec,
        words_only,
        keyword_weight=keyword_weight,
        embedded=embedded,
        vector_stamp=vector_stamp,
    )
