"""Latency of the practice-area classifier and the article suggester, with the full models.

Needs `make setup` (models in var/legalai/). Runs the product code path (the same objects
legalai.services loads) on the bundled questions, one question at a time, and prints p50/p95/
p99/max per call plus the model load times, as JSON. The caches in services are bypassed.
`embed` is the question's query embedding (lawqa.embeddings, `LAWQA_EMBED_THREADS` threads,
default 1, as a web worker); `assist` is what the ask page's htmx assist pays for a new text:
one embedding, the area and 5 suggestions.
Both wall-clock time and the thread's CPU time are reported: on a busy machine (load average
above the core count) wall time mostly measures waiting for a core, CPU time the work itself.

    .venv/bin/python bench/legalai/bench.py [--n 500] [--k 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawqa.settings")


def percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)

    def at(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 2)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": round(s[-1] * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="questions to time (sampled from the bundle)")
    parser.add_argument("--k", type=int, default=5, help="articles per suggestion call (page shows 5)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from lawqa.legalai import services, training

    rows = training.read_jsonl_gz(settings.DATA_DIR / "demo_qa.jsonl.gz")
    texts = [r.text for r in training.qa_records(rows)]
    random.Random(0).shuffle(texts)
    texts = texts[: args.n]

    started = time.perf_counter()
    classifier = services.classifier()
    load_classifier = time.perf_counter() - started
    started = time.perf_counter()
    suggester = services.suggester()
    load_suggester = time.perf_counter() - started

    from lawqa.embeddings import model as embedding_model
    from lawqa.legalai.vectors import query_text

    def embed(text: str):
        if suggester.vector_stamp is None:
            return None
        return embedding_model.embed_query(query_text(text))

    started = time.perf_counter()
    embed(texts[0])  # loads the embedding model
    load_embedding = time.perf_counter() - started
    for text in texts[:20]:  # warm-up: segmenter dictionaries, numpy code paths
        vector = embed(text)
        classifier.predict(text, vector=vector)
        suggester.suggest(text, args.k, vector=vector)
    vectors = {text: embed(text) for text in texts}

    def assist(text: str) -> None:
        vector = embed(text)
        classifier.predict(text, vector=vector)
        suggester.suggest(text, 5, vector=vector)

    calls = {
        "embed": embed,
        "classify": lambda text: classifier.predict(text, vector=vectors[text]),
        f"suggest_k{args.k}": lambda text: suggester.suggest(text, args.k, vector=vectors[text]),
        "suggest_k100": lambda text: suggester.suggest(text, 100, vector=vectors[text]),
        "assist": assist,
    }
    wall: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    for text in texts:
        for name, call in calls.items():
            w, c = time.perf_counter(), time.thread_time()
            call(text)
            cpu[name].append(time.thread_time() - c)
            wall[name].append(time.perf_counter() - w)
    result = {
        "questions": len(texts),
        "articles_indexed": len(suggester.refs),
        "known_questions": len(suggester.known_ids),
        "load_classifier_s": round(load_classifier, 2),
        "load_suggester_s": round(load_suggester, 2),
        "load_embedding_model_s": round(load_embedding, 2),
        "uses_vectors": suggester.vector_stamp is not None,
        "embed_threads": int(os.environ.get("LAWQA_EMBED_THREADS", "1")),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "wall": {name: percentiles(v) for name, v in wall.items()},
        "cpu": {name: percentiles(v) for name, v in cpu.items()},
        "model_files_mb": {
            p.name: round(p.stat().st_size / 1e6, 1) for p in sorted(services.model_dir().glob("*.pkl"))
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))  # noqa: T201 - benchmark output


if __name__ == "__main__":
    main()
