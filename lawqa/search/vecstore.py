"""The per-node vector index on disk: one generation directory (pure: numpy, no Django).

A generation is written once by `write_generation` and then only its delta changes:

    meta.json     {"format", "stamp", "dim", "count", "ann"} — written last: no meta, no generation
    ids.npy       int64 (n,) question ids, ascending
    vectors.npy   int8 (n, dim), one row per id (`store.quantize`: vector ≈ row × scale)
    scales.npy    float32 (n,)
    digests.npy   S16 (n,) digest of the embedded text (`embeddings.texts.digest`)
    ann.usearch   HNSW graph over the rows (only from ANN_MIN rows; below that exact search)
    delta.npz     what changed since: upserted ids with their vectors, scales and digests, the
                  `deleted` ids, and the log cursor (`position`, `since`) that produced them — one
                  file replaced atomically, so vectors and position can never disagree

All vectors of a generation were made by the model named in `meta.json`'s stamp: a different
model means a new generation, never a mix. The arrays are memory-mapped, so the web workers of a
node share one copy of the pages.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

FORMAT = 1
DIM = 384
#: From this many vectors the base gets an HNSW graph (usearch); below it exact search is as fast
#: (≈ 2 ms at 50k int8 rows, bench/search/vectors.py) and exact.
ANN_MIN = 50_000
#: HNSW parameters (bench/search/vectors.py: recall@10 vs exact search at 1M).
ANN_CONNECTIVITY = 16
ANN_EXPANSION_ADD = 128
ANN_EXPANSION_SEARCH = 96
#: Candidates asked of the graph (then scored exactly on the stored vectors), at least k.
ANN_CANDIDATES = 40


_blas = None


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread: OpenBLAS would otherwise spin both cores
    for one query's matrix-vector product (8.5 ms of CPU instead of 0.8 ms at 9,054 rows)."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


class CorruptVectorIndex(RuntimeError):
    """A generation directory that cannot be read (missing or garbled file, wrong shape)."""


@dataclass
class Delta:
    """Changes since the generation's base, and the log cursor they reflect."""

    position: int = 0
    since: str = ""
    ids: dict[int, int] = field(default_factory=dict)  # question id -> row in the arrays below
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), dtype=np.int8))
    scales: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    digests: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="S16"))
    deleted: set[int] = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.ids) + len(self.deleted)

    def upsert(self, items: Iterable[tuple[int, np.ndarray, float, bytes]]) -> None:
        """Set (question id, int8 vector, scale, digest) rows, replacing earlier ones."""
        items = list(items)
        if not items:
            return
        replaced = {i[0] for i in items}
        order = [
            (qid, row) for qid, row in sorted(self.ids.items(), key=lambda kv: kv[1]) if qid not in replaced
        ]
        keep = [row for _, row in order]
        self.vectors = np.concatenate([self.vectors[keep], np.stack([i[1] for i in items]).astype(np.int8)])
        self.scales = np.concatenate([self.scales[keep], np.array([i[2] for i in items], dtype=np.float32)])
        self.digests = np.concatenate([self.digests[keep], np.array([i[3] for i in items], dtype="S16")])
        self.ids = {qid: row for row, qid in enumerate([qid for qid, _ in order] + [i[0] for i in items])}
        self.deleted -= replaced

    def delete(self, question_ids: Iterable[int], *, in_base: set[int]) -> None:
        """Remove questions: drop their upserts; those the base holds become tombstones."""
        question_ids = set(question_ids)
        if question_ids & self.ids.keys():
            order = sorted(self.ids.items(), key=lambda kv: kv[1])
            keep = [row for qid, row in order if qid not in question_ids]
            kept_ids = [qid for qid, _ in order if qid not in question_ids]
            self.vectors, self.scales, self.digests = (
                self.vectors[keep],
                self.scales[keep],
                self.digests[keep],
            )
            self.ids = {qid: row for row, qid in enumerate(kept_ids)}
        self.deleted |= question_ids & in_base


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save_delta(directory: Path, delta: Delta) -> None:
    """Replace `delta.npz` atomically (written to a temporary file, fsynced, renamed)."""
    ids = np.array(sorted(delta.ids, key=delta.ids.__getitem__), dtype=np.int64)
    _write_atomic(
        directory / "delta.npz",
        lambda fh: np.savez(
            fh,
            position=np.int64(delta.position),
            since=np.array(delta.since),
            ids=ids,
            vectors=delta.vectors.astype(np.int8).reshape(-1, DIM),
            scales=delta.scales.astype(np.float32),
            digests=delta.digests.astype("S16"),
            deleted=np.array(sorted(delta.deleted), dtype=np.int64),
        ),
    )


def load_delta(directory: Path) -> Delta:
    try:
        with np.load(directory / "delta.npz", allow_pickle=False) as z:
            ids = z["ids"]
            vectors = z["vectors"]
            if (
                vectors.shape != (len(ids), DIM)
                or len(z["scales"]) != len(ids)
                or len(z["digests"]) != len(ids)
            ):
                raise CorruptVectorIndex("delta arrays disagree in length")
            return Delta(
                position=int(z["position"]),
                since=str(z["since"]),
                ids={int(q): row for row, q in enumerate(ids)},
                vectors=vectors,
                scales=z["scales"],
                digests=z["digests"],
                deleted={int(q) for q in z["deleted"]},
            )
    except CorruptVectorIndex:
        raise
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise CorruptVectorIndex(f"delta.npz: {exc}") from exc


def write_generation(
    directory: Path,
    *,
    stamp: str,
    ids: np.ndarray,
    vectors: np.ndarray,
    scales: np.ndarray,
    digests: np.ndarray,
    position: int,
    since: str,
    threads: int = 1,
    ann_min: int = ANN_MIN,
    ann=None,
) -> None:
    """Write a complete generation into the new directory `directory` (meta.json last).

    `ann`: a graph already holding exactly these ids (`compact` updates the old one instead of
    building anew); otherwise one is built from ANN_MIN rows."""
    directory.mkdir(parents=True, exist_ok=False)
    order = np.argsort(ids, kind="stable")
    ids = np.asarray(ids, dtype=np.int64)[order]
    vectors = np.asarray(vectors, dtype=np.int8).reshape(-1, DIM)[order]
    scales = np.asarray(scales, dtype=np.float32)[order]
    digests = np.asarray(digests, dtype="S16")[order]
    for name, array in (("ids", ids), ("vectors", vectors), ("scales", scales), ("digests", digests)):
        _write_atomic(directory / f"{name}.npy", lambda fh, a=array: np.save(fh, a))
    if ann is None and len(ids) >= ann_min:
        ann = build_ann(ids, vectors, threads=threads)
    if ann is not None:
        ann.save(str(directory / "ann.usearch"))
    save_delta(directory, Delta(position=position, since=since))
    meta = {"format": FORMAT, "stamp": stamp, "dim": DIM, "count": len(ids), "ann": "usearch" if ann else ""}
    _write_atomic(directory / "meta.json", lambda fh: fh.write(json.dumps(meta).encode()))


def build_ann(ids: np.ndarray, vectors: np.ndarray, *, threads: int = 1):
    """An HNSW graph (usearch, cosine over int8 rows) keyed by question id."""
    from usearch.index import Index

    index = Index(
        ndim=DIM,
        metric="cos",
        dtype="i8",
        connectivity=ANN_CONNECTIVITY,
        expansion_add=ANN_EXPANSION_ADD,
        expansion_search=ANN_EXPANSION_SEARCH,
    )
    if len(ids):
        index.add(np.asarray(ids, dtype=np.uint64), np.asarray(vectors, dtype=np.int8), threads=threads)
    return index


def read_meta(directory: Path) -> dict:
    """meta.json of a generation; raises CorruptVectorIndex."""
    try:
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("format") != FORMAT or meta.get("dim") != DIM:
            raise CorruptVectorIndex(f"unsupported format {meta.get('format')} / dim {meta.get('dim')}")
        int(meta["count"]), str(meta["stamp"])
        return meta
    except CorruptVectorIndex:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptVectorIndex(f"{directory}/meta.json: {exc}") from exc


def read_delta_position(directory: Path) -> tuple[int, str]:
    """(position, since) of a generation's delta, without reading its vectors."""
    try:
        with np.load(directory / "delta.npz", allow_pickle=False) as z:
            return int(z["position"]), str(z["since"])
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise CorruptVectorIndex(f"{directory}/delta.npz: {exc}") from exc


def updated_ann(generation: Generation, *, threads: int = 1):
    """The generation's graph loaded into memory with its delta applied (masked rows removed,
    delta rows added): far cheaper than a new graph at a million rows. None without a graph."""
    if generation.ann is None:
        return None
    from usearch.index import Index

    ann = Index.restore(str(generation.directory / "ann.usearch"), view=False)
    masked = np.asarray(generation.ids[generation.masked_rows], dtype=np.uint64)
    if len(masked):
        ann.remove(masked)
    order = sorted(generation.delta.ids, key=generation.delta.ids.__getitem__)
    if order:
        ann.add(np.array(order, dtype=np.uint64), generation.delta.vectors, threads=threads)
    return ann


class Generation:
    """A read-only view of one generation: memory-mapped base, its graph, and the delta."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        meta = read_meta(directory)
        self.stamp: str = meta["stamp"]
        try:
            self.ids = np.load(directory / "ids.npy", mmap_mode="r")
            self.vectors = np.load(directory / "vectors.npy", mmap_mode="r")
            self.scales = np.load(directory / "scales.npy", mmap_mode="r")
            self.digests = np.load(directory / "digests.npy", mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise CorruptVectorIndex(f"{directory}: {exc}") from exc
        n = int(meta["count"])
        if not (
            len(self.ids) == len(self.scales) == len(self.digests) == n and self.vectors.shape == (n, DIM)
        ):
            raise CorruptVectorIndex(f"{directory}: arrays disagree with meta.json (count {n})")
        self.ann = None
        if meta.get("ann"):
            from usearch.index import Index

            try:
                self.ann = Index.restore(str(directory / "ann.usearch"), view=True)
            except Exception as exc:  # usearch raises RuntimeError / ValueError on a damaged file
                raise CorruptVectorIndex(f"{directory}/ann.usearch: {exc}") from exc
            if self.ann is None or len(self.ann) != n:
                raise CorruptVectorIndex(f"{directory}/ann.usearch does not hold {n} vectors")
            self.ann.expansion_search = ANN_EXPANSION_SEARCH
        self._dense: np.ndarray | None = None
        self._stats = self._file_stats()
        self.set_delta(load_delta(directory))

    def _file_stats(self) -> list[tuple[int, int, int]]:
        out = []
        for name in (
            "meta.json",
            "ids.npy",
            "vectors.npy",
            "scales.npy",
            "digests.npy",
            "ann.usearch",
            "delta.npz",
        ):
            try:
                st = (self.directory / name).stat()
                out.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                out.append((0, 0, 0))
        return out

    def unchanged(self) -> bool:
        """No file of the generation was replaced or touched since it was opened (or last saved
        by `save_delta` through this object)."""
        return self._file_stats() == self._stats

    def set_delta(self, delta: Delta) -> None:
        """Use `delta` (as just loaded or saved): base rows it deletes or replaces are masked."""
        self.delta = delta
        self._stats = self._file_stats()
        self.masked_ids = delta.deleted | delta.ids.keys()
        self.masked_rows = self._rows_of(np.array(sorted(self.masked_ids), dtype=np.int64))
        # One assignment, read as one by `search` in other threads: a search never pairs the new
        # delta's rows with the old delta's vectors.
        self._delta_pair = (
            delta,
            delta.vectors.astype(np.float32) * delta.scales.astype(np.float32)[:, None],
        )

    def _rows_of(self, question_ids: np.ndarray) -> np.ndarray:
        rows = np.searchsorted(self.ids, question_ids)
        ok = rows < len(self.ids)
        rows, question_ids = rows[ok], question_ids[ok]
        return rows[self.ids[rows] == question_ids]

    def reload_delta(self) -> None:
        self.set_delta(load_delta(self.directory))

    @property
    def count(self) -> int:
        """Vectors currently live (base minus masked plus delta upserts)."""
        return len(self.ids) - len(self.masked_rows) + len(self.delta.ids)

    def base_row(self, question_id: int) -> int | None:
        row = int(np.searchsorted(self.ids, question_id))
        if row < len(self.ids) and int(self.ids[row]) == question_id:
            return row
        return None

    def digest_of(self, question_id: int) -> bytes | None:
        """The digest of the live vector of a question (None if it has none)."""
        if question_id in self.delta.ids:
            return bytes(self.delta.digests[self.delta.ids[question_id]])
        if question_id in self.delta.deleted:
            return None
        row = self.base_row(question_id)
        return None if row is None else bytes(self.digests[row])

    def vector(self, question_id: int) -> np.ndarray | None:
        """The live vector of a question as float32 (None if it has none)."""
        if question_id in self.delta.ids:
            row = self.delta.ids[question_id]
            return self.delta.vectors[row].astype(np.float32) * np.float32(self.delta.scales[row])
        if question_id in self.delta.deleted:
            return None
        row = self.base_row(question_id)
        if row is None:
            return None
        return self.vectors[row].astype(np.float32) * np.float32(self.scales[row])

    def _dense_base(self) -> np.ndarray:
        """float32 copy of a small base for exact search (ANN_MIN rows at most: ≤ 77 MB)."""
        if self._dense is None:
            self._dense = np.asarray(self.vectors, dtype=np.float32) * np.asarray(self.scales)[:, None]
        return self._dense

    def search(self, query: np.ndarray, *, k: int, exclude: set[int]) -> list[tuple[int, float]]:
        """(question id, cosine) best first over the live vectors, `exclude` left out."""
        with one_blas_thread():
            return self._search(query, k=k, exclude=exclude)

    def _search(self, query: np.ndarray, *, k: int, exclude: set[int]) -> list[tuple[int, float]]:
        query = np.asarray(query, dtype=np.float32).reshape(DIM)
        found: list[tuple[int, float]] = []
        if len(self.ids):
            if self.ann is not None:
                # The graph proposes candidates; they are scored again on the stored vectors
                # (the graph's int8 cosine is coarser than ours: per-vector scales).
                want = max(ANN_CANDIDATES, k) + len(exclude) + min(len(self.masked_rows), 4 * k)
                keys = np.asarray(self.ann.search(query, min(want, len(self.ids))).keys, dtype=np.int64)
                keys = np.array(
                    [q for q in keys.tolist() if q not in self.masked_ids and q not in exclude],
                    dtype=np.int64,
                )
                rows = self._rows_of(keys)
                scores = (np.asarray(self.vectors[rows], dtype=np.float32) @ query) * np.asarray(
                    self.scales[rows]
                )
                found = [(int(self.ids[r]), float(sc)) for r, sc in zip(rows, scores, strict=True)]
            else:
                scores = self._dense_base() @ query
                scores[self.masked_rows] = -np.inf
                if exclude:
                    scores[self._rows_of(np.array(sorted(exclude), dtype=np.int64))] = -np.inf
                top = _top(scores, k + len(exclude))
                found = [(int(self.ids[r]), float(scores[r])) for r in top if np.isfinite(scores[r])]
        delta, delta_dense = self._delta_pair
        if delta.ids:
            order = sorted(delta.ids.items(), key=lambda kv: kv[1])
            scores = delta_dense @ query
            found += [(qid, float(scores[row])) for qid, row in order if qid not in exclude]
        found.sort(key=lambda pair: -pair[1])
        return found[:k]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the `k` highest scores, best first."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]
