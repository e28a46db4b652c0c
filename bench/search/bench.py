"""Search benchmark: N synthetic questions made of fragments of the real ones, indexed with
tantivy (the product's schema, segmentation and queries) and, in the same run, with SQLite FTS5
over the same segmented text as the baseline.

Reports build time, index size and p50 / p95 latency of
  (a) search: 20 realistic queries taken from real open questions,
  (b) related questions for 100 random questions (terms picked the product's way),
with the same query terms sent to both engines.

    .venv/bin/python bench/search/bench.py [--n 1000000] [--workers 2] [--out bench/search/results.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import multiprocessing as mp
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import tantivy  # noqa: E402

from lawqa.search import engine  # noqa: E402
from lawqa.search.segmentation import char_bigrams, default_segmenter, prepare  # noqa: E402

CREATED = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC).replace(
    tzinfo=None
)  # tantivy dates are naive UTC
QA_DIR = ROOT.parent / "shared" / "data" / "qa"
AREAS = [
    "hunyin",
    "laodong",
    "jiaotong",
    "zhaiquan",
    "xingshi",
    "hetong",
    "fangchan",
    "qinquan",
    "gongsi",
    "yiliao",
]
CLAUSE_RE = re.compile(r"[^。！？!?；;，,\n]{4,60}[。！？!?；;，,]?")


def fragments() -> tuple[list[str], list[str], list[str], list[str]]:
    """Clauses of real question bodies and answers; titles; real open-question queries."""
    q_clauses, a_clauses, titles, open_bodies = [], [], [], []
    for name in ("answered.jsonl", "open_questions.jsonl"):
        for line in (QA_DIR / name).open(encoding="utf-8"):
            r = json.loads(line)
            body = r["body"]
            clauses = CLAUSE_RE.findall(body)
            q_clauses.extend(clauses)
            titles.append(r.get("title") or (clauses[0] if clauses else body[:30]))
            if r.get("answer"):
                a_clauses.extend(CLAUSE_RE.findall(r["answer"])[:6])
            if name == "open_questions.jsonl":
                open_bodies.append(body)
    return q_clauses, a_clauses, titles, open_bodies


def generate(n: int, seed: int = 1) -> list[tuple[int, str, str, str, bool, str]]:
    q_clauses, a_clauses, titles, _ = fragments()
    rng = random.Random(seed)
    docs = []
    for i in range(1, n + 1):
        title = rng.choice(titles)[:50]
        detail = "".join(rng.choice(q_clauses) for _ in range(rng.randint(1, 4)))
        answered = rng.random() < 0.5
        answer = "".join(rng.choice(a_clauses) for _ in range(rng.randint(1, 3))) if answered else ""
        docs.append((i, title, detail, answer, answered, AREAS[i % len(AREAS)]))
    return docs


def _segment_chunk(chunk):
    seg = default_segmenter()
    out = []
    for qid, title, detail, answer, answered, area in chunk:
        out.append(
            (
                qid,
                " ".join(seg.segment(title)),
                " ".join(seg.segment(detail)),
                " ".join(seg.segment(answer)),
                answered,
                area,
                " ".join(char_bigrams(prepare(title + "\n" + detail[: engine.GRAM_DETAIL_CHARS]))),
            )
        )
    return out


def index_doc(qid, title, detail, answer, answered, area, grams) -> tantivy.Document:
    """The text index's document for one segmented row of `segmented_stream`."""
    return tantivy.Document(
        question_id=qid,
        title=title,
        laws="",
        body=" ".join((title, detail, answer)),
        grams=grams,
        area=area,
        answered=answered,
        created=CREATED,
    )


def segmented_stream(docs, workers: int, chunk: int = 5000):
    chunks = [docs[i : i + chunk] for i in range(0, len(docs), chunk)]
    if workers <= 1:
        for c in chunks:
            yield _segment_chunk(c)
        return
    with mp.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_segment_chunk, chunks)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentiles(ms: list[float]) -> dict[str, float]:
    s = sorted(ms)
    return {
        "p50_ms": round(statistics.median(s), 2),
        "p95_ms": round(s[max(0, math.ceil(0.95 * len(s)) - 1)], 2),
        "max_ms": round(s[-1], 2),
    }


def timed(fn, items) -> dict[str, float]:
    """Wall-clock percentiles of fn(item) over items, plus the calling thread's CPU time
    percentiles (the engines run the query in this thread; CPU time is not inflated by other
    jobs waiting for the same cores)."""
    for item in items[:5]:
        fn(item)  # warm-up
    wall, cpu = [], []
    for item in items:
        t0, c0 = time.perf_counter(), time.thread_time()
        fn(item)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    out = percentiles(wall)
    cpu_p = percentiles(cpu)
    out["cpu_p50_ms"], out["cpu_p95_ms"] = cpu_p["p50_ms"], cpu_p["p95_ms"]
    return out


def fts_match(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None, help="work directory (default: a temp dir)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--skip-fts", action="store_true")
    ap.add_argument(
        "--measure-only",
        action="store_true",
        help="reuse the indexes in --dir from an earlier run; time queries only",
    )
    args = ap.parse_args()
    if args.measure_only and not args.dir:
        ap.error("--measure-only needs --dir")
    work = args.dir or Path(tempfile.mkdtemp(prefix="lawqa-bench-"))
    if not args.measure_only:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    report: dict = {"n": args.n, "cpus": os.cpu_count(), "load_avg_at_start": round(os.getloadavg()[0], 1)}

    t = time.perf_counter()
    docs = generate(args.n)
    report["generate_s"] = round(time.perf_counter() - t, 1)
    print(f"generated {len(docs)} questions in {report['generate_s']}s", flush=True)

    index_path = work / "tantivy"
    segmented: list[tuple] = []
    if not args.measure_only:
        # --- build: segmentation (worker processes) feeding one tantivy writer --------------------------
        index = engine.open_index(index_path)
        t = time.perf_counter()
        cpu0 = os.times()
        with engine.writer_lock(index_path):
            writer = index.writer(heap_size=1_000_000_000, num_threads=2)
            for chunk in segmented_stream(docs, args.workers):
                for row in chunk:
                    writer.add_document(index_doc(*row))
                segmented.extend(chunk)
                if len(segmented) % 100_000 < 5000:
                    print(f"  {len(segmented)} docs {time.perf_counter() - t:.0f}s", flush=True)
            writer.commit()
            writer.wait_merging_threads()
        report["tantivy_build_s"] = round(time.perf_counter() - t, 1)
        cpu1 = os.times()
        # CPU seconds of this process and the segmentation workers: the build time on an idle machine
        # is about this divided by the cores (other jobs shared the CPU during our runs).
        report["tantivy_build_cpu_s"] = round(
            (cpu1.user - cpu0.user)
            + (cpu1.system - cpu0.system)
            + (cpu1.children_user - cpu0.children_user)
            + (cpu1.children_system - cpu0.children_system),
            1,
        )
        report["load_avg_during_build"] = round(os.getloadavg()[0], 1)
        report["tantivy_size_mb"] = round(dir_size(index_path) / 1e6, 1)
        print(f"tantivy: built in {report['tantivy_build_s']}s, {report['tantivy_size_mb']} MB", flush=True)
    rng = random.Random(2)
    sample = rng.sample(docs, 100)  # (b) related: 100 random questions, original text
    del docs

    index = engine.open_index(index_path)
    index.reload()
    searcher = index.searcher()
    seg = default_segmenter()

    # (a) realistic queries: the first clause of real open questions (what people type)
    _, _, _, open_bodies = fragments()
    queries = []
    for body in rng.sample(open_bodies, 200):
        clauses = CLAUSE_RE.findall(body)
        if clauses and 6 <= len(clauses[0]) <= 30:
            queries.append(clauses[0].rstrip("，,。？?！!；;"))
        if len(queries) == 20:
            break
    report["queries"] = queries
    analyzed = [seg.analyze_query(q) for q in queries]

    report["tantivy_search"] = timed(lambda a: engine.search(searcher, a, limit=10), analyzed)
    report["tantivy_related"] = timed(
        lambda d: engine.related(searcher, question_id=d[0], title=d[1], detail=d[2], answers=d[3]), sample
    )
    print("tantivy search", report["tantivy_search"], "related", report["tantivy_related"], flush=True)

    related_terms = [
        [w.term for w in engine.related_terms(searcher, title=s[1], detail=s[2], answers=s[3])]
        for s in sample
    ]

    # --- SQLite FTS5 over the same segmented text -------------------------------------------------------
    if not args.skip_fts:
        db_path = work / "fts.sqlite3"
        con = sqlite3.connect(db_path)
        if not args.measure_only:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("CREATE VIRTUAL TABLE q USING fts5(title, detail, answer, tokenize='unicode61')")
            t = time.perf_counter()
            con.executemany(
                "INSERT INTO q(rowid, title, detail, answer) VALUES (?,?,?,?)",
                ((s[0], s[1], s[2], s[3]) for s in segmented),
            )
            con.commit()
            report["fts5_build_s"] = round(time.perf_counter() - t, 1)
            report["fts5_size_mb"] = round(db_path.stat().st_size / 1e6, 1)
            print(
                f"fts5: built in {report['fts5_build_s']}s (from segmented text), {report['fts5_size_mb']} MB",
                flush=True,
            )

        def fts(terms, exclude=None):
            if not terms:
                return []
            sql = "SELECT rowid FROM q WHERE q MATCH ? "
            params = [fts_match(terms)]
            if exclude is not None:
                sql += "AND rowid != ? "
                params.append(exclude)
            sql += "ORDER BY bm25(q) LIMIT 10"
            return con.execute(sql, params).fetchall()

        report["fts5_search"] = timed(lambda a: fts([w.term for w in a.terms]), analyzed)
        report["fts5_related"] = timed(
            lambda st: fts(st[1], exclude=st[0][0]), list(zip(sample, related_terms, strict=True))
        )
        print("fts5 search", report["fts5_search"], "related", report["fts5_related"], flush=True)
        report["speedup_related_p50"] = round(
            report["fts5_related"]["p50_ms"] / report["tantivy_related"]["p50_ms"], 1
        )
        report["speedup_related_p95"] = round(
            report["fts5_related"]["p95_ms"] / report["tantivy_related"]["p95_ms"], 1
        )
        report["speedup_search_p95"] = round(
            report["fts5_search"]["p95_ms"] / report["tantivy_search"]["p95_ms"], 1
        )
        con.close()

    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
