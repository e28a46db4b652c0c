"""Embedding vectors for legalai: the query text, and the bundled vectors training reads.

Pure (no Django). A question is embedded as a query (`lawqa.embeddings.model.embed_query`,
e5's "query:") when it is classified or gets article suggestions; the stored side — statute
articles and the known questions — are the passages of `data/vectors/` (built by
scripts/bundle_vectors.py). For training, the query vectors of the bundled questions and the
labelled examples are precomputed by scripts/bundle_legalai_vectors.py, so that training never
runs the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Characters of a question embedded as a query (the problem is in the first sentences).
QUERY_CHARS = 300


def query_text(text: str) -> str:
    """The text of a question as it is embedded: whitespace runs collapsed, cut to QUERY_CHARS.

    >>> query_text("  房东不退押金\\n\\n怎么办？ ")
    '房东不退押金 怎么办？'
    """
    return " ".join((text or "").split())[:QUERY_CHARS]


def load_vectors(path: Path, stamp: str | None = None) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """key → float32 unit vector, and key → digest of the embedded text, from a bundle; both
    empty when the file is missing or was made by another model than `stamp` (vectors of two
    models are never mixed)."""
    from lawqa.embeddings.store import load_bundle

    if not path.exists():
        return {}, {}
    bundle = load_bundle(path)
    if stamp is not None and bundle.stamp != stamp:
        return {}, {}
    vectors = bundle.float_vectors()
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    keys = [str(k) for k in bundle.keys]
    return dict(zip(keys, vectors, strict=True)), dict(zip(keys, map(str, bundle.digests), strict=True))
