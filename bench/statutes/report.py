"""Citation report over ../shared/data/qa/answered.jsonl: answers that contain 《…》第X条, how many
citations the engine finds and how they resolve, with samples to check by hand → REPORT.md.

    .venv/bin/python bench/statutes/report.py [--qa ../shared/data/qa/answered.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lawqa.statutes.citations import STATUS_LABELS, LawTable, check_text  # noqa: E402
from lawqa.statutes.library import article_label, law_infos, read_bundle  # noqa: E402

CITES = re.compile(r"《[^》]{1,80}》\s*第\s*[零〇一二三四五六七八九十百千两0-9０-９]+\s*条")


def context(text: str, span: tuple[int, int], width: int = 30) -> str:
    a, b = span
    snippet = text[max(0, a - width) : a] + "**" + text[a:b] + "**" + text[b : b + 10]
    return snippet.replace("\n", " ").replace("|", "｜")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, default=ROOT.parent / "shared" / "data" / "qa" / "answered.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "statutes" / "REPORT.md")
    ap.add_argument("--samples", type=int, default=8)
    args = ap.parse_args()
    table = LawTable.build(law_infos(read_bundle(ROOT / "data" / "laws.jsonl.gz")))
    rows = [json.loads(line) for line in args.qa.open(encoding="utf-8") if line.strip()]
    with_cites = [r for r in rows if r.get("answer") and CITES.search(r["answer"])]
    counts: Counter[str] = Counter()
    laws: Counter[str] = Counter()
    samples: dict[str, list[str]] = {s: [] for s in STATUS_LABELS}
    for r in with_cites:
        for res in check_text(r["answer"], table):
            c = res.citation
            counts[res.status] += 1
            laws[c.law] += 1
            law = f"《{c.law}》{article_label(c.article, c.sub)}"
            note = res.note or "—"
            samples[res.status].append(f"| {r['id']} | {law} | {context(r['answer'], c.span)} | {note} |")
    rng = random.Random(3)
    total = sum(counts.values())
    lines = [
        "# Citation check over the answered Q&A",
        "",
        f"Source: `{args.qa.name}` ({len(rows)} answered questions); {len(with_cites)} answers contain "
        "`《…》第X条`. Engine: `lawqa.statutes.citations` against the bundled library "
        "(`data/laws.jsonl.gz`, current versions). Regenerate with `.venv/bin/python bench/statutes/report.py`.",
        "",
        f"**{total} citations found** in those answers:",
        "",
        "| status | count | share |",
        "|---|---:|---:|",
    ]
    for status, label in STATUS_LABELS.items():
        n = counts.get(status, 0)
        lines.append(f"| {status} ({label}) | {n} | {n / total:.1%} |" if total else f"| {status} | 0 | – |")
    lines += ["", "Most cited laws: " + "、".join(f"{k} {v}" for k, v in laws.most_common(12)), ""]
    for status, label in STATUS_LABELS.items():
        pool = samples[status]
        pick = pool if len(pool) <= args.samples else rng.sample(pool, args.samples)
        lines += [f"## {status} ({label}) — {len(pool)}, sample of {len(pick)}", ""]
        if pick:
            lines += [
                "| answer id | citation | context (cited text in bold) | note |",
                "|---|---|---|---|",
                *pick,
            ]
        lines.append("")
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(with_cites)} answers, {total} citations: {dict(counts)} → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
