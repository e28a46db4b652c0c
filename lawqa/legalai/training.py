"""Training data from the bundles, training, and cross-validation of both models.

No Django import: reads the bundled files under data/ (never ../shared), so `train_legalai`
works on a fresh machine and the same bundles always give the same models.

Weak labels are derived honestly from what the bundles say about each question:
the areas of its gold articles (LeCoQA) and of the articles its answer cites, plus the hand
keyword rules of `areas.py`. A weak label is kept only when one area clearly wins.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lawqa.common.numerals import cn_to_int
from lawqa.legalai.areas import keyword_scores, law_area
from lawqa.legalai.classifier import (
    CONFIDENCE_TEMPERATURE,
    AreaClassifier,
    calibration,
    fit_temperature,
    softmax,
    train_classifier,
)
from lawqa.legalai.suggester import (
    ArticleDoc,
    ArticleSuggester,
    KnownQuestion,
    build_suggester,
    fit_reranker,
)

#: Weight of a gold article's area vote against one keyword point; an answer citation counts 1.
GOLD_VOTE = 2
#: A weak label needs this lead over the runner-up area.
WEAK_MARGIN = 1
#: Weight of an article cited in an answer, next to 1.0 for a gold article.
CITED_WEIGHT = 0.5

_NUM = "零〇一二三四五六七八九十百千两"
_GOLD = re.compile(rf"^(.*?)第([{_NUM}\d]+)条(?:之([{_NUM}]+))?")
_CITED = re.compile(rf"[《<〈]([^》>〉]{{2,60}})[》>〉]\s*第([{_NUM}\d]+)条(?:之([{_NUM}]+))?")


def cn_int(s: str) -> int:
    """Chinese or Arabic article number to int.

    >>> cn_int("一千零三十八"), cn_int("十"), cn_int("264")
    (1038, 10, 264)
    """
    return cn_to_int(s)


def norm_law(name: str) -> str:
    """Law name for matching: no brackets/spaces, no 中华人民共和国 (also inside 《》), no version.

    >>> norm_law("最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释")
    '最高人民法院关于适用民法典有关担保制度的解释'
    """
    name = re.sub(r"[《》〈〉<>\s]", "", name or "").replace("（", "(").replace("）", ")")
    name = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", name)
    return name.replace("中华人民共和国", "")


def display_law(title: str) -> str:
    """The law's title as suggestions show it: nested law names in their usual short form.

    >>> display_law("最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释")
    '最高人民法院关于适用《民法典》有关担保制度的解释'
    """
    return title.replace("《中华人民共和国", "《")


@dataclass(frozen=True)
class QARecord:
    """One bundled question: id, text (title + body), gold articles, lawyer answer."""

    id: str
    text: str
    gold_articles: tuple[str, ...] = ()
    answer: str = ""


def read_jsonl_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def qa_records(rows: Iterable[dict]) -> list[QARecord]:
    out = []
    for r in rows:
        text = "\n".join(p for p in (r.get("title"), r.get("body")) if p)
        out.append(QARecord(r["id"], text, tuple(r.get("gold_articles") or ()), r.get("answer") or ""))
    return out


def parse_gold(name: str) -> tuple[str, int, int] | None:
    """'中华人民共和国民法典第五十四条' → ('中华人民共和国民法典', 54, 0)."""
    m = _GOLD.match(name.split("：")[0])
    if not m:
        return None
    return m.group(1), cn_int(m.group(2)), cn_int(m.group(3)) if m.group(3) else 0


def cited_articles(text: str) -> list[tuple[str, int, int]]:
    """《法名》第X条(之Y) citations in an answer.

    >>> cited_articles("依据《中华人民共和国劳动合同法》第四十七条规定")
    [('中华人民共和国劳动合同法', 47, 0)]
    """
    out = []
    for law, num, sub in _CITED.findall(text or ""):
        try:
            out.append((law, cn_int(num), cn_int(sub) if sub else 0))
        except KeyError:
            continue
    return out


# ---------------------------------------------------------------------------------------------
# Classifier


def weak_label(record: QARecord, keywords: bool = True) -> str | None:
    """The area one clearly wins for a bundled question, from its statutes and (`keywords`)
    the hand keyword rules."""
    votes: Counter[str] = Counter(keyword_scores(record.text) if keywords else {})
    for name in record.gold_articles:
        ref = parse_gold(name)
        area = ref and law_area(ref[0], ref[1])
        if area:
            votes[area] += GOLD_VOTE
    for law, number, _sub in cited_articles(record.answer):
        area = law_area(law, number)
        if area:
            votes[area] += 1
    top = votes.most_common(2)
    if not top or (len(top) > 1 and top[0][1] - top[1][1] < WEAK_MARGIN):
        return None
    return top[0][0]


def weak_examples(
    records: Sequence[QARecord], exclude_texts: Iterable[str] = (), keywords: bool = True
) -> list[tuple[QARecord, str]]:
    """The bundled questions with a weak label (never one of `exclude_texts`), and the label."""
    skip = set(exclude_texts)
    out = []
    for r in records:
        area = weak_label(r, keywords)
        if area and r.text not in skip:
            out.append((r, area))
    return out


#: Whether the product classifier uses the hand keyword rules of areas.py (as features and as
#: weak-label votes). They were written while reading the labelled dev questions, so a
#: cross-validation of a model using them is optimistic: `cross_validate_classifier(...,
#: keywords=False)` gives the honest figure.
USE_KEYWORD_RULES = True


def fit_classifier(
    labelled: Sequence[tuple[str, str]],
    records: Sequence[QARecord],
    temperature: float | None = None,
    *,
    ids: Sequence[str] = (),
    keywords: bool = USE_KEYWORD_RULES,
    vectors: StoredVectors | None = None,
    words_head: bool = True,
) -> AreaClassifier:
    """The product classifier: all labelled examples + weak labels of the bundled questions.
    `temperature`: the confidence calibration (from `cross_validate_classifier`). `vectors`:
    embed each example too — the labelled ones (`ids`, row for row) by their stored query
    vectors, the weak ones by their stored passage vectors — for the embedded head
    (`words_head`: also the words-only one, used when a question cannot be embedded)."""
    texts = [t for t, _ in labelled]
    weak = weak_examples(records, texts, keywords)
    matrix = None
    if vectors is not None:
        from lawqa.embeddings.model import DIM

        none = np.zeros(DIM, dtype=np.float32)
        rows = [vectors.query(i, t) for i, t in zip(ids, texts, strict=True)]
        rows += [vectors.questions.get(r.id) for r, _ in weak]
        matrix = np.array([none if v is None else v for v in rows], dtype=np.float32).reshape(len(rows), DIM)
    model = train_classifier(
        labelled,
        [(r.text, area) for r, area in weak],
        unlabelled=[r.text for r in records],
        keywords=keywords,
        vectors=matrix,
        vector_stamp=vectors.stamp if vectors is not None else None,
        words_head=words_head,
    )
    if temperature is not None:
        model.temperature = temperature
    return model


@dataclass
class ClassifierCV:
    accuracy: float
    fold_accuracies: list[float]
    confusions: list[tuple[str, str, int]]
    #: (area, calibrated confidence) per labelled example, from the fold that did not see it.
    predictions: list[tuple[str, float]]
    #: Temperature fitted on all the out-of-fold margins: the product model's calibration.
    temperature: float = 1.0
    #: mean confidence / accuracy / ECE with the old fixed temperature and calibrated
    #: (each fold's confidences use a temperature fitted on the other folds only).
    calibration_before: dict[str, float] = field(default_factory=dict)
    calibration_after: dict[str, float] = field(default_factory=dict)


def cross_validate_classifier(
    labelled: Sequence[tuple[str, str]],
    records: Sequence[QARecord],
    folds: int = 5,
    seed: int = 0,
    *,
    ids: Sequence[str] = (),
    keywords: bool = USE_KEYWORD_RULES,
    vectors: StoredVectors | None = None,
) -> ClassifierCV:
    """Stratified k-fold: each fold is predicted by a model that never saw its labels. The
    out-of-fold margins also calibrate the confidence (temperature scaling). With `keywords`
    the figure is optimistic (the rules were written reading these examples)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array([a for _, a in labelled])
    margins: np.ndarray | None = None
    classes: list[str] = []
    fold_of = np.zeros(len(y), dtype=np.int64)
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    for f, (train, test) in enumerate(splits):
        model = fit_classifier(
            [labelled[i] for i in train],
            records,
            ids=[ids[i] for i in train] if vectors is not None else (),
            keywords=keywords,
            vectors=vectors,
            words_head=False,
        )
        if margins is None:
            classes = model.classes
            margins = np.zeros((len(y), len(classes)))
        assert model.classes == classes
        for i in test:
            vector = vectors.query(ids[i], labelled[i][0]) if vectors is not None else None
            margins[i] = model.margins(labelled[i][0], vector)
            fold_of[i] = f
    assert margins is not None
    col = {c: j for j, c in enumerate(classes)}
    gold = np.array([col[a] for a in y])
    best = margins.argmax(1)
    correct = best == gold
    calibrated = np.zeros(len(y))
    for f in range(folds):
        t = fit_temperature(margins[fold_of != f], gold[fold_of != f])
        calibrated[fold_of == f] = softmax(margins[fold_of == f], t).max(1)
    before = softmax(margins, CONFIDENCE_TEMPERATURE).max(1)
    confusions: Counter[tuple[str, str]] = Counter(
        (str(y[i]), classes[best[i]]) for i in np.flatnonzero(~correct)
    )
    accs = [float(correct[fold_of == f].mean()) for f in range(folds)]
    return ClassifierCV(
        accuracy=float(correct.mean()),
        fold_accuracies=accs,
        confusions=[(g, p, n) for (g, p), n in confusions.most_common(15)],
        predictions=[(classes[b], float(c)) for b, c in zip(best, calibrated, strict=True)],
        temperature=fit_temperature(margins, gold),
        calibration_before=calibration(before.tolist(), correct.tolist()),
        calibration_after=calibration(calibrated.tolist(), correct.tolist()),
    )


# ---------------------------------------------------------------------------------------------
# Suggester


def article_docs(law_rows: Iterable[dict]) -> list[ArticleDoc]:
    """The articles of every law version in force, from the statute bundle's records."""
    from lawqa.statutes.library import parse_body

    docs = []
    for rec in law_rows:
        if not rec.get("is_current") or not rec.get("body"):
            continue
        law = display_law(rec.get("title") or rec["name"])
        seen = set()
        for a in parse_body(rec["body"]).articles:
            if (a.number, a.sub) in seen:
                continue
            seen.add((a.number, a.sub))
            docs.append(ArticleDoc(law, a.number, a.sub, a.text, tuple(a.headings), rec["name"], rec["id"]))
    return docs


def known_questions(records: Sequence[QARecord], docs: Sequence[ArticleDoc]) -> list[KnownQuestion]:
    """Bundled questions with the library articles their gold list and answer point to."""
    by_name: dict[str, str] = {}
    for d in docs:
        by_name.setdefault(norm_law(d.law), d.law)
        by_name.setdefault(norm_law(d.law_short), d.law)
    out = []
    for r in records:
        arts: dict[tuple[str, int, int], float] = {}
        for name in r.gold_articles:
            ref = parse_gold(name)
            law = ref and by_name.get(norm_law(ref[0]))
            if ref and law:
                arts[(law, ref[1], ref[2])] = 1.0
        for name, number, sub in cited_articles(r.answer):
            law = by_name.get(norm_law(name))
            if law:
                arts.setdefault((law, number, sub), CITED_WEIGHT)
        if arts:
            out.append(KnownQuestion(r.id, r.text, arts, r.answer))
    return out


@dataclass
class StoredVectors:
    """The bundled vectors of one embedding model (data/vectors/, see lawqa.legalai.vectors)."""

    stamp: str
    #: Passage vectors of the articles (by `<law id>:<number>:<sub>`) and of the bundled
    #: questions (by record id), with the digests of the texts they were made from.
    articles: dict[str, np.ndarray]
    article_digests: dict[str, str]
    questions: dict[str, np.ndarray]
    #: Query vectors of the bundled questions and the labelled examples, by id (for training).
    queries: dict[str, np.ndarray]
    query_digests: dict[str, str]

    def query(self, key: str, text: str) -> np.ndarray | None:
        """The stored query vector of `key`, if it was made from this very `text`."""
        from lawqa.embeddings.texts import digest
        from lawqa.legalai.vectors import query_text

        if key in self.queries and self.query_digests.get(key) == digest(query_text(text)):
            return self.queries[key]
        return None


def stored_vectors(vectors_dir: Path, stamp: str | None) -> StoredVectors | None:
    """The three bundles under `vectors_dir` when all exist and were made by the model `stamp`
    (the installed one); None otherwise — the models are then trained without embeddings."""
    from lawqa.legalai.vectors import load_vectors

    if stamp is None:
        return None
    articles, article_digests = load_vectors(vectors_dir / "articles.npz", stamp)
    questions, _ = load_vectors(vectors_dir / "questions.npz", stamp)
    queries, query_digests = load_vectors(vectors_dir / "legalai_queries.npz", stamp)
    if not (articles and questions and queries):
        return None
    return StoredVectors(stamp, articles, article_digests, questions, queries, query_digests)


def article_matrix(docs: Sequence[ArticleDoc], vectors: StoredVectors) -> np.ndarray:
    """The articles' stored vectors row for row with `docs`; a zero row where there is none or
    where the stored vector was made from another text than the article's."""
    from lawqa.embeddings.model import DIM
    from lawqa.embeddings.texts import article_text, digest
    from lawqa.statutes.library import article_label

    out = np.zeros((len(docs), DIM), dtype=np.float32)
    for i, d in enumerate(docs):
        key = f"{d.law_id}:{d.number}:{d.sub}"
        if key in vectors.articles:
            text = article_text(
                d.law_short or d.law, article_label(d.number, d.sub), list(d.headings), d.text
            )
            if vectors.article_digests.get(key) == digest(text):
                out[i] = vectors.articles[key]
    return out


def fit_suggester(
    law_rows: Iterable[dict],
    records: Sequence[QARecord],
    *,
    rerank: bool = True,
    vectors: StoredVectors | None = None,
) -> ArticleSuggester:
    """The article suggester; with `vectors`, with the dense evidence too."""
    from lawqa.search.segmentation import analyze_query, segment

    docs = article_docs(law_rows)
    known = known_questions(records, docs)
    dense = {}
    if vectors is not None:
        dense = {
            "vector_stamp": vectors.stamp,
            "article_vectors": article_matrix(docs, vectors),
            "known_vectors": vectors.questions,
        }
    model = build_suggester(
        docs,
        known,
        segment=segment,
        analyze=lambda text: [(t.term, t.weight) for t in analyze_query(text).terms],
        **dense,
    )
    if rerank:
        queries = None
        if vectors is not None:
            queries = {q.id: v for q in known if (v := vectors.query(q.id, q.text)) is not None}
        fit_reranker(model, known, vectors=queries)
    return model


def attach_segmenter(model: ArticleSuggester) -> ArticleSuggester:
    from lawqa.search.segmentation import analyze_query, segment

    model.use_segmenter(segment, lambda text: [(t.term, t.weight) for t in analyze_query(text).terms])
    return model
