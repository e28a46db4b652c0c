"""int8 vectors and the bundles under `data/vectors/` (pure numpy, no Django).

A bundle is one `.npz`: `keys` (str), `digests` (str, `texts.digest` of the embedded text),
`vectors` (int8, n × 384) and `scales` (float32, n), plus `stamp` (the model stamp). A vector is
`vectors[i] * scales[i]`; symmetric per-vector int8 keeps cosine within about 1e-3 of float32.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float32 (n, d) → int8 (n, d) and float32 scales (n,).

    >>> v = np.array([[0.6, -0.8], [0.0, 0.0]], dtype=np.float32)
    >>> q, s = quantize(v)
    >>> q.tolist(), [[round(float(x), 2) for x in row] for row in dequantize(q, s)]
    ([[95, -127], [0, 0]], [[0.6, -0.8], [0.0, 0.0]])
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


def dequantize(q: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """int8 (n, d) and scales (n,) → float32 (n, d)."""
    return q.astype(np.float32) * np.asarray(scales, dtype=np.float32)[:, None]


@dataclass
class Bundle:
    """Stored vectors with the key and text digest each belongs to, made by one model."""

    stamp: str
    keys: np.ndarray
    digests: np.ndarray
    vectors: np.ndarray
    scales: np.ndarray

    def lookup(self) -> dict[tuple[str, str], int]:
        """(key, digest) → row, to reuse a stored vector only for the same text."""
        return {(str(k), str(d)): i for i, (k, d) in enumerate(zip(self.keys, self.digests, strict=True))}

    def float_vectors(self) -> np.ndarray:
        return dequantize(self.vectors, self.scales)


def save_bundle(path: Path, *, stamp: str, keys: list[str], digests: list[str], vectors: np.ndarray) -> None:
    q, scales = quantize(vectors)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp, stamp=np.array(stamp), keys=np.array(keys), digests=np.array(digests), vectors=q, scales=scales
    )
    tmp.replace(path)


def load_bundle(path: Path) -> Bundle:
    with np.load(path, allow_pickle=False) as z:
        return Bundle(
            stamp=str(z["stamp"]),
            keys=z["keys"],
            digests=z["digests"],
            vectors=z["vectors"],
            scales=z["scales"],
        )
