"""Concurrency at scale: one indexer applies batches to a built index while other processes
search it. Reports searches answered, errors (must be 0), search latency during the writes, and
that a second indexer waits for the lock instead of failing.

    .venv/bin/python bench/search/concurrency.py --dir var/bench/search-1m [--batches 5 --batch-size 1000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lawqa.search import engine  # noqa: E402
from lawqa.search.segmentation import analyze_query  # noqa: E402

QUERIES = [
    "老板拖欠工资怎么办",
    "离婚孩子抚养权归谁",
    "交通事故对方全责怎么赔",
    "被公司辞退有补偿吗",
    "借钱不还怎么起诉",
]


def searcher_loop(path: Path, stop_at: float, out) -> None:
    index = engine.open_index(path)
    analyzed = [analyze_query(q) for q in QUERIES]
    ms, errors, i = [], 0, 0
    while time.monotonic() < stop_at:
        try:
            t0 = time.perf_counter()
            engine.search(index.searcher(), analyzed[i % len(analyzed)], limit=10)
            ms.append((time.perf_counter() - t0) * 1000)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            errors += 1
            print("search error:", exc, flush=True)
        i += 1
    out.put({"searches": len(ms), "errors": errors, "ms": ms})


def indexer(path: Path, batches: int, batch_size: int, first_id: int, out) -> None:
    index = engine.open_index(path)
    errors, waited = 0, []
    for b in range(batches):
        docs = [
            engine.IndexDoc(
                first_id + b * batch_size + i, f"公司拖欠工资第{b}批{i}号", "老板拖欠三个月工资不给"
            )
            for i in range(batch_size)
        ]
        t0 = time.monotonic()
        try:
            with engine.writer_lock(path, timeout=120) as held:
                waited.append(time.monotonic() - t0)
                if not held:
                    errors += 1
                    continue
                with engine.index_writer(index, heap_size=128_000_000, num_threads=1) as writer:
                    engine.apply_changes(writer, upserts=docs, deletes=[])
                    writer.commit()
        except Exception as exc:  # noqa: BLE001
            errors += 1
            print("write error:", exc, flush=True)
    out.put({"batches": batches, "errors": errors, "max_lock_wait_s": round(max(waited), 2)})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, required=True, help="bench work dir holding tantivy/")
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--searchers", type=int, default=2)
    args = ap.parse_args()
    path = args.dir / "tantivy"
    ctx = mp.get_context("fork")
    out_s, out_w = ctx.Queue(), ctx.Queue()
    # Searchers run for a fixed time; two indexers compete for the single writer lock.
    stop_at = time.monotonic() + 60
    searchers = [
        ctx.Process(target=searcher_loop, args=(path, stop_at, out_s)) for _ in range(args.searchers)
    ]
    writers = [
        ctx.Process(
            target=indexer, args=(path, args.batches, args.batch_size, 50_000_000 + k * 1_000_000, out_w)
        )
        for k in range(2)
    ]
    t0 = time.monotonic()
    for p in searchers + writers:
        p.start()
    write_results = [out_w.get() for _ in writers]
    write_s = time.monotonic() - t0
    search_results = [out_s.get() for _ in searchers]
    for p in searchers + writers:
        p.join()
    ms = sorted(m for r in search_results for m in r["ms"])
    report = {
        "indexers": write_results,
        "indexing_wall_s": round(write_s, 1),
        "searches": sum(r["searches"] for r in search_results),
        "search_errors": sum(r["errors"] for r in search_results),
        "search_p50_ms": round(statistics.median(ms), 2) if ms else None,
        "search_p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2) if ms else None,
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
