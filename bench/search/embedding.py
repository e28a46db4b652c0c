"""Embedding cost on real text: query latency and bulk throughput, 1 and 2 OpenMP threads.

    .venv/bin/python bench/search/embedding.py [--texts 512] [--queries 200] [--out F]

Each thread count runs in its own process (OpenMP reads the count when the model loads). Texts
are the bundled demo questions (data/demo_qa.jsonl.gz, the first N by source id, cut as
`question_text()` cuts), embedded in batches of 64 as the indexer does; queries are the colloquial queries of
data/search/*.jsonl, one at a time as a web worker does. Reported: wall-clock and process CPU
(all threads) per query, p50 / p95, CPU ÷ wall (how many cores one query keeps busy), and texts/s
for the bulk run (wall and per CPU-second).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _texts(n: int) -> list[str]:
    from lawqa.embeddings.texts import question_text

    rows = []
    with gzip.open(ROOT / "data" / "demo_qa.jsonl.gz", "rt") as fh:
        for line in fh:
            rec = json.loads(line)
            rows.append((rec["id"], question_text("", rec["body"])))
    rows.sort()
    return [t for _, t in rows[:n]]


def _queries(n: int) -> list[str]:
    out = []
    for path in sorted((ROOT / "data" / "search").glob("*.jsonl")):
        out += [json.loads(line)["query"] for line in path.read_text().splitlines() if line.strip()]
    return out[:n]


def run(threads: int, n_texts: int, n_queries: int) -> dict:
    from lawqa.embeddings import model

    t = time.perf_counter()
    model.get_model(threads=threads)
    load = time.perf_counter() - t
    queries, texts = _queries(n_queries), _texts(n_texts)
    for q in queries[:10]:
        model.embed_query(q)
    wall, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        model.embed_query(q)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), 64):
        model.embed_passages(texts[i : i + 64])
    bulk_wall, bulk_cpu = time.perf_counter() - t, time.process_time() - c
    w, cp = np.array(wall) * 1000, np.array(cpu) * 1000
    return {
        "threads": threads,
        "model_load_s": round(load, 3),
        "query_p50_ms": round(float(np.percentile(w, 50)), 1),
        "query_p95_ms": round(float(np.percentile(w, 95)), 1),
        "query_cpu_p50_ms": round(float(np.percentile(cp, 50)), 1),
        "query_cpu_p95_ms": round(float(np.percentile(cp, 95)), 1),
        "query_cores_busy": round(float(cp.sum() / w.sum()), 2),
        "texts": len(texts),
        "texts_per_s": round(len(texts) / bulk_wall, 1),
        "texts_per_cpu_s": round(len(texts) / bulk_cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=512)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.threads:
        print(json.dumps(run(args.threads, args.texts, args.queries)))
        return
    results = []
    for threads in (1, 2):
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--threads",
                str(threads),
                "--texts",
                str(args.texts),
                "--queries",
                str(args.queries),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
