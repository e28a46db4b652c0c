"""The JSON Lines loop shared by the batch commands (../shared/EVAL.md): one output row per
input row, same id, in order; a malformed line gets an error row and the run goes on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TextIO


def run_jsonl(lines: Iterable[str], out: TextIO, field: str, handle: Callable[[dict], dict]) -> int:
    """Apply `handle` to every row whose `field` is a string; returns the number of rows."""
    n_rows = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        n_rows += 1
        row = None
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get(field), str):
                raise ValueError(f"需要 JSON 对象，且 {field} 为字符串")
            result = {"id": row.get("id")} | handle(row)
        except ValueError as exc:
            rid = row.get("id") if isinstance(row, dict) else None
            result = ({"id": rid} if rid is not None else {"line": n}) | {"error": str(exc)}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return n_rows
