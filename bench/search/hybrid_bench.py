"""Hybrid search and 相关问题 latency at N questions, end to end through the product's code path.

    nice .venv/bin/python bench/search/hybrid_bench.py --n 1000000 --dir var/bench/hybrid-1m \
        [--out bench/search/results-hybrid-1m.json] [--measure-only]

Builds (unless `--measure-only`) in `--dir`:
- `tantivy/`: N synthetic questions as `bench.py` makes them (clauses of the real questions and
  answers in `../shared/data/qa`), the product's schema and segmentation;
- `vectors/`: a vector-index generation (`vecstore.write_generation`, HNSW graph from 50,000 rows)
  of N synthetic vectors shaped like real ones (`vectors.py`'s blends of two real question
  vectors), question id i ↔ question i of the text index.

Then times, in this process (one OpenMP thread for the model, as a web worker has):
- **search**: the 20 real queries of `bench.py`, each embedded anew (no query cache: the
  embedding is inside the measurement), then `hybrid.search_ranking` — lexical top 30, semantic
  top 30, each side completing the other's scores, fused; also its parts alone;
- **相关问题**: `hybrid.related_ranking` for 100 random questions with their stored vectors (no
  embedding at read time).
Wall and CPU milliseconds (p50 / p95 / max); the CPU figure is the process's (all threads),
which is what a request costs on idle cores. Search embeds the query on a second thread while
the text index is searched, as the site does (`queries.rank_search`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vectors as vector_bench  # noqa: E402  - bench/search/vectors.py: synthetic vectors

import bench  # noqa: E402  - bench/search/bench.py: synthetic questions, the 1M text index
from lawqa.embeddings import model, store  # noqa: E402
from lawqa.search import engine, hybrid, vecstore  # noqa: E402
from lawqa.search.segmentation import default_segmenter  # noqa: E402


def timed(fn, items) -> dict[str, float]:
    """Wall-clock and CPU percentiles of fn(item) (after 5 warm-up calls). CPU is the whole
    process's (the search embeds on a second thread), which is what the request costs on idle
    cores: on a busy machine wall time also holds the waits for a core."""
    for item in items[:5]:
        fn(item)
    wall, cpu = [], []
    for item in items:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(item)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out = bench.percentiles(wall)
    cpu_p = bench.percentiles(cpu)
    out["cpu_p50_ms"], out["cpu_p95_ms"] = cpu_p["p50_ms"], cpu_p["p95_ms"]
    return out


def build_text(docs, path: Path, workers: int) -> dict:
    index = engine.open_index(path)
    t, c = time.perf_counter(), os.times()
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    n = 0
    for chunk in bench.segmented_stream(docs, workers):
        for row in chunk:
            writer.add_document(bench.index_doc(*row))
        n += len(chunk)
        if n % 100_000 < 5000:
            print(f"  text {n} {time.perf_counter() - t:.0f}s", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    c2 = os.times()
    cpu = c2.user - c.user + c2.system - c.system + c2.children_user - c.children_user
    return {"text_build_s": round(time.perf_counter() - t, 1), "text_build_cpu_s": round(cpu, 1)}


def build_vectors(n: int, path: Path) -> dict:
    data = vector_bench.synthetic(n, seed=1)
    q8, scales = store.quantize(data)
    del data
    t, c = time.perf_counter(), time.process_time()
    vecstore.write_generation(
        path,
        stamp="bench",
        ids=np.arange(1, n + 1, dtype=np.int64),
        vectors=q8,
        scales=scales,
        digests=np.array([b"%016x" % i for i in range(n)], dtype="S16"),
        position=0,
        since="",
        threads=2,
    )
    size = sum(f.stat().st_size for f in path.iterdir())
    return {
        "vector_build_s": round(time.perf_counter() - t, 1),
        "vector_build_cpu_s": round(time.process_time() - c, 1),
        "vector_index_mb": round(size / 1e6, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--measure-only", action="store_true")
    args = ap.parse_args()
    report: dict[str, object] = {"n": args.n, "load_avg_at_start": round(os.getloadavg()[0], 1)}
    docs = bench.generate(args.n)
    text_path, vector_path = args.dir / "tantivy", args.dir / "vectors"
    if not args.measure_only:
        args.dir.mkdir(parents=True, exist_ok=True)
        report.update(build_text(docs, text_path, args.workers))
        print(report, flush=True)
        report.update(build_vectors(args.n, vector_path))
        print(report, flush=True)
    rng = random.Random(2)
    sample = rng.sample(docs, 100)
    del docs
    _, _, _, open_bodies = bench.fragments()
    queries = []
    for body in rng.sample(open_bodies, 200):
        clauses = bench.CLAUSE_RE.findall(body)
        if clauses and 6 <= len(clauses[0]) <= 30:
            queries.append(clauses[0].rstrip("，,。？?！!；;"))
        if len(queries) == 20:
            break
    report["queries"] = queries

    index = engine.open_index(text_path, create=False)
    index.reload()
    searcher = index.searcher()
    t = time.perf_counter()
    generation = vecstore.Generation(vector_path)
    report["vector_load_s"] = round(time.perf_counter() - t, 3)
    seg = default_segmenter()

    def semantic(vector, *, k: int, exclude=()) -> list[tuple[int, float]]:
        return generation.search(vector, k=k, exclude=set(exclude))

    model.get_model()  # load once (a web worker loads it on its first search)

    embedder = ThreadPoolExecutor(max_workers=1)

    def search(q: str) -> list[int]:
        # as queries.rank_search: the query is embedded on another thread meanwhile
        return hybrid.search_ranking(
            searcher,
            seg.analyze_query(q),
            vector=embedder.submit(model.embed_query, q).result,
            semantic=semantic,
            vector_of=generation.vector,
        ).ids

    def related(d) -> list[int]:
        return hybrid.related_ranking(
            searcher,
            question_id=d[0],
            title=d[1],
            detail=d[2],
            answers=d[3],
            vector=generation.vector(d[0]),
            semantic=semantic,
            vector_of=generation.vector,
            limit=10,
        )

    vectors_of = {q: model.embed_query(q) for q in queries}
    report["search_end_to_end"] = timed(search, queries * 3)
    report["embed_query"] = timed(model.embed_query, queries * 3)
    report["lexical_only"] = timed(
        lambda q: engine.search(searcher, seg.analyze_query(q), limit=40), queries * 3
    )
    report["semantic_only"] = timed(
        lambda q: generation.search(vectors_of[q], k=30, exclude=set()), queries * 3
    )
    report["related_hybrid"] = timed(related, sample)
    report["related_lexical_only"] = timed(
        lambda d: engine.related(searcher, question_id=d[0], title=d[1], detail=d[2], answers=d[3]), sample
    )
    report["load_avg_at_end"] = round(os.getloadavg()[0], 1)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
