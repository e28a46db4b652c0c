"""Statute benchmark: citation extraction + resolution speed, and full library import time.

    .venv/bin/python bench/statutes/bench.py [--repeat 5] [--no-import] [--out bench/statutes/results.json]

(a) extraction + resolution (lawqa.statutes.citations.check_text) over every answer in the bundled
    demo Q&A (data/demo_qa.jsonl.gz), on one core; MB/s counts the answers' UTF-8 bytes.
(b) `import_laws` of data/laws.jsonl.gz into a fresh SQLite database (migrate first, not timed),
    then a second run to show the idempotent path.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lawqa.statutes.citations import LawTable, check_text  # noqa: E402
from lawqa.statutes.library import law_infos, read_bundle  # noqa: E402


def answers() -> list[str]:
    path = ROOT / "data" / "demo_qa.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["answer"] for r in rows if r.get("answer")]


def bench_extraction(repeat: int) -> dict:
    t0 = time.perf_counter()
    table = LawTable.build(law_infos(read_bundle(ROOT / "data" / "laws.jsonl.gz")))
    table_s = time.perf_counter() - t0
    texts = answers()
    nbytes = sum(len(t.encode()) for t in texts)
    nchars = sum(len(t) for t in texts)
    best = float("inf")
    counts: dict[str, int] = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        found = [check_text(t, table) for t in texts]
        best = min(best, time.perf_counter() - t0)
    for results in found:
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
    return {
        "answers": len(texts),
        "mb": round(nbytes / 1e6, 2),
        "chars": nchars,
        "seconds_best_of": round(best, 3),
        "mb_per_s": round(nbytes / 1e6 / best, 2),
        "chars_per_s": round(nchars / best),
        "citations": sum(counts.values()),
        "by_status": counts,
        "table_build_s_from_bundle": round(table_s, 2),
    }


def bench_import() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", LAWQA_VAR_DIR=tmp)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
        out = {}
        for label in ("first", "second"):
            t0 = time.perf_counter()
            proc = subprocess.run(
                [*manage, "import_laws", "--quiet-problems"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            out[f"{label}_s"] = round(time.perf_counter() - t0, 1)
            out[f"{label}_summary"] = proc.stdout.strip().splitlines()[-1]
        out["db_mb"] = round(Path(tmp, "bench.sqlite3").stat().st_size / 1e6, 1)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-import", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "statutes" / "results.json")
    args = ap.parse_args()
    result = {"extraction": bench_extraction(args.repeat)}
    print(json.dumps(result["extraction"], ensure_ascii=False))
    if not args.no_import:
        result["import"] = bench_import()
        print(json.dumps(result["import"], ensure_ascii=False))
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
