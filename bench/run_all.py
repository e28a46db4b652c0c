"""Run every benchmark under bench/ with small defaults (`make bench`).

Each folder bench/<name>/ holds one entry script, `run.py` or else `bench.py`; it is run in its own
process with this interpreter. A script whose --help mentions `--n` gets `--n N` (default 10000)
so that `make bench` finishes in minutes; run a script directly for the full-size figures that
bench/README.md reports.

    .venv/bin/python bench/run_all.py [--n 10000] [--only pages,search]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ENTRY_NAMES = ("run.py", "bench.py")


def entry_scripts() -> list[tuple[str, Path]]:
    found = []
    for folder in sorted(p for p in BENCH.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        for name in ENTRY_NAMES:
            if (folder / name).is_file():
                found.append((folder.name, folder / name))
                break
    return found


def small_args(script: Path, n: int) -> list[str]:
    """`--n N` when the script takes it (asked through its --help)."""
    helped = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    return ["--n", str(n)] if "--n" in helped.stdout else []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="size passed to benchmarks that take --n")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}

    failed = []
    scripts = [(name, script) for name, script in entry_scripts() if not only or name in only]
    for name, script in scripts:
        command = [sys.executable, str(script), *small_args(script, args.n)]
        print(f"\n==> {name}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        result = subprocess.run(command, check=False)
        print(f"<== {name}: exit {result.returncode}, {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if not scripts:
        print("no benchmarks found")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
