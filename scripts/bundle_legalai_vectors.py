"""Bundle the query-side vectors legalai trains on into data/vectors/legalai_queries.npz.

    .venv/bin/python scripts/bundle_legalai_vectors.py [--threads 2]

At run time a new question is embedded as a search query (`embed_query`, e5's "query:") and
compared with the stored passages (articles, known questions). Training must see the same kind
of vector, and `train_legalai` may read bundled files only, never run the model on a fresh
machine (set-up time), so this script embeds, once, as queries:

* the bundled questions the article suggester learns from (those with gold articles or an
  answer) — the re-ranker's training rows;
* the 240 labelled practice-area examples (data/legalai/classify_dev.jsonl.gz).

Keys: the record id; each vector is stamped with the model and the digest of its text
(`lawqa.legalai.vectors.query_text`), so a model or text change is detected and such a vector
is not used. About 2,300 short texts: a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "vectors" / "legalai_queries.npz")
    args = parser.parse_args()
    os.environ["LAWQA_EMBED_THREADS"] = str(args.threads)

    import numpy as np

    from lawqa.embeddings import model, store
    from lawqa.embeddings.texts import digest
    from lawqa.legalai.vectors import query_text

    items: dict[str, str] = {}
    with gzip.open(ROOT / "data" / "demo_qa.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("gold_articles") or r.get("answer"):
                items[r["id"]] = "\n".join(p for p in (r.get("title"), r.get("body")) if p)
    with gzip.open(ROOT / "data" / "legalai" / "classify_dev.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            items[r["id"]] = r["question"]
    keys = sorted(items)
    texts = [query_text(items[k]) for k in keys]
    started = time.monotonic()
    parts = []
    for i in range(0, len(texts), 64):
        parts.append(model.embed_queries(texts[i : i + 64]))
        done = min(i + 64, len(texts))
        print(f"  {done}/{len(texts)}  {done / (time.monotonic() - started):.1f}/s", flush=True)  # noqa: T201
    vectors = np.vstack(parts)
    store.save_bundle(
        args.out, stamp=model.model_stamp(), keys=keys, digests=[digest(t) for t in texts], vectors=vectors
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(keys)} vectors)")  # noqa: T201


if __name__ == "__main__":
    main()
