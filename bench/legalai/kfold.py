"""K-fold measurement of the article suggester: stricter than `suggest_articles --exclude-self`.

Leave-one-out (`--exclude-self`) keeps every other bundled question as knowledge; here each
question is answered with its whole re-ranker fold left out (about a fifth of the questions with
gold articles: their gold articles, answers, popularity and vectors), by the fold's re-ranker
that never saw them. Input rows without a fold are answered with themselves left out. Reads
JSON Lines like `suggest_articles` and writes the same rows; score with ../shared/eval/score.py.

    .venv/bin/python bench/legalai/kfold.py < ../shared/data/eval/statute_dev.jsonl > /tmp/kfold.jsonl
    python3 ../shared/eval/score.py statutes ../shared/data/eval/statute_dev.jsonl /tmp/kfold.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawqa.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from lawqa.legalai import services

    model = services.suggester()
    folds: dict[int, list[str]] = defaultdict(list)
    for qid, fold in model.rerank_fold.items():
        folds[fold].append(qid)
    for line in sys.stdin:
        if not line.strip():
            continue
        row = json.loads(line)
        qid = str(row["id"])
        fold = model.rerank_fold.get(qid)
        exclude = tuple(folds[fold]) if fold is not None else (qid,)
        vector = services.query_vector(row["question"], model.vector_stamp)
        found = model.suggest(row["question"], args.k, exclude=exclude, vector=vector)
        out = {
            "id": row["id"],
            "articles": [{"law": s.law, "article": s.article, "sub": s.sub} for s in found],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
