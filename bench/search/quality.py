"""Search quality on the demo questions: success@5 of the gold queries and relatedness on
statute_dev, for the product's search and for a plain BM25 baseline (rjieba's own tokens, no
legal dictionary, no compound parts, no synonyms, one field). Builds in-memory indexes straight
from the bundled demo data (data/demo_qa.jsonl.gz, titles derived as the import does), no Django.

    .venv/bin/python bench/search/quality.py [--demo data/demo_qa.jsonl.gz] [--statute-dev FILE] [-v]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import tantivy  # noqa: E402

from lawqa.questions.importing import parse_record  # noqa: E402
from lawqa.search import engine  # noqa: E402
from lawqa.search.segmentation import Segmenter, default_segmenter, plain_segmenter  # noqa: E402

PLAIN_FIELDS = {"body": 1.0}


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


def success_at_5(index, rows, gold, seg: Segmenter, fields=None, verbose=False, gram_weight=None) -> float:
    searcher = index.searcher()
    ok = 0
    for g in gold:
        analyzed = seg.analyze_query(g["query"])
        hits = engine.search(searcher, analyzed, limit=5, fields=fields, gram_weight=gram_weight).hits
        got = [rows[h.question_id - 1]["id"] for h in hits]
        hit = any(s in g["relevant"] for s in got)
        ok += hit
        if verbose and not hit:
            print(
                "MISS",
                g["id"],
                g["query"],
                [t.term for t in analyzed.terms][:12],
                "->",
                [rows[h.question_id - 1]["title"][:24] for h in hits[:3]],
            )
    return ok / len(gold)


def relatedness(
    index,
    rows,
    statute_dev: Path,
    seg: Segmenter,
    answered_boost: float,
    answers: bool = True,
    fields=None,
    max_terms=engine.RELATED_MAX_TERMS,
) -> tuple[float, int]:
    """Share of the 10 related questions sharing ≥1 gold article, over statute_dev questions in the data."""
    by_id = {r["id"]: (n, r) for n, r in enumerate(rows, 1)}
    gold = {}
    for line in statute_dev.open(encoding="utf-8"):
        g = json.loads(line)
        gold[g["id"]] = set(g["gold_articles"])
    articles = {r["id"]: set(r.get("gold_articles") or []) for r in rows}
    searcher = index.searcher()
    shares = []
    for sid, arts in gold.items():
        if sid not in by_id:
            continue
        n, r = by_id[sid]
        hits = engine.related(
            searcher,
            question_id=n,
            title=r["title"],
            detail=r["body"],
            answers=(r.get("answer") or "") if answers else "",
            limit=10,
            segmenter=seg,
            answered_boost=answered_boost,
            fields=fields,
            max_terms=max_terms,
        )
        if not hits:
            shares.append(0.0)
            continue
        same = sum(1 for h in hits if articles.get(rows[h.question_id - 1]["id"], set()) & arts)
        shares.append(same / 10)
    return (sum(shares) / len(shares) if shares else 0.0), len(shares)


DEFAULT_SETS = ("gold_queries", "dev_queries", "eval_a", "eval_b")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--demo", type=Path, default=ROOT / "data" / "demo_qa.jsonl.gz")
    ap.add_argument(
        "--sets",
        nargs="+",
        default=list(DEFAULT_SETS),
        help="query files: names in data/search/ (without .jsonl) or paths",
    )
    ap.add_argument(
        "--statute-dev", type=Path, default=ROOT.parent / "shared" / "data" / "eval" / "statute_dev.jsonl"
    )
    ap.add_argument("--no-related", action="store_true", help="skip the relatedness figure")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the product's misses")
    args = ap.parse_args()
    rows = load_demo(args.demo)
    sets = {}
    for name in args.sets:
        path = Path(name) if name.endswith(".jsonl") else ROOT / "data" / "search" / f"{name}.jsonl"
        sets[path.stem] = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    out = {}
    for name, seg, fields, boost, grams in (
        ("lawqa", default_segmenter(), None, engine.ANSWERED_BOOST, None),
        ("plain_bm25", plain_segmenter(), PLAIN_FIELDS, 1.0, 0.0),
    ):
        t = time.time()
        index = build(rows, seg)
        res: dict[str, object] = {}
        for set_name, queries in sets.items():
            if args.verbose and name == "lawqa":
                print("--", set_name)
            s5 = success_at_5(
                index, rows, queries, seg, fields, verbose=args.verbose and name == "lawqa", gram_weight=grams
            )
            res[f"{set_name} s@5"] = round(s5, 4)
        if not args.no_related and args.statute_dev.exists():
            if name == "plain_bm25":
                rel, n_rel = relatedness(
                    index, rows, args.statute_dev, seg, boost, answers=False, fields=PLAIN_FIELDS
                )
            else:
                rel, n_rel = relatedness(index, rows, args.statute_dev, seg, boost)
            res["relatedness@10"] = round(rel, 4)
            res["related_questions"] = n_rel
        res["seconds"] = round(time.time() - t, 1)
        out[name] = res
    sizes = {k: len(v) for k, v in sets.items()}
    print(json.dumps({"docs": len(rows), "queries": sizes, **out}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
