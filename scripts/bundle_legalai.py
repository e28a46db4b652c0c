"""Bundle the labelled practice-area examples for the classifier into data/legalai/.

Reads ../shared/data/eval/classify_dev.jsonl (LawBench 2-4 dev part, 240 questions with their
area) and writes data/legalai/classify_dev.jsonl.gz. The statute knowledge (questions with
gold articles, answers) is already bundled in data/demo_qa.jsonl.gz by scripts/bundle_qa.py.
"""

import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "eval" / "classify_dev.jsonl"
TARGET = ROOT / "data" / "legalai" / "classify_dev.jsonl.gz"


def main() -> None:
    rows = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives byte-identical output (setup fingerprints the bundle).
    with TARGET.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for r in rows:
            line = {"id": r["id"], "question": r["question"], "category": r["category"]}
            gz.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
    print(f"{len(rows)} labelled questions -> {TARGET.relative_to(ROOT)}")  # noqa: T201 - script output


if __name__ == "__main__":
    main()
