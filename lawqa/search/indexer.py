"""The node's indexer: one pass brings both indexes (tantivy, vectors) up to date with the log.

`manage.py run_indexer` runs passes forever, one process per node (every deployment: web
workers never write an index). A pass, under the node's writer lock:

1. checks both indexes — missing, unreadable, schema or model changed, or the node unknown to
   the log table (new, renamed, forgotten by pruning after LAWQA_INDEX_NODE_TIMEOUT of silence,
   or ahead of the log after a database restore) — and rebuilds what needs it from the database into a new
   generation, while web workers keep reading the old one (or degrade: no results, logged);
2. applies the log to the tantivy index, then to the vector index, each from its own position
   (the indexer process: all of the text log, then at most VECTOR_STEP vector entries a pass);
3. reports both positions and a heartbeat to `IndexNode`, and prunes the log entries every
   live node has passed.

A crash anywhere leaves each index at or behind its position file: the next pass re-applies.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Max

from lawqa.embeddings import model

from . import engine, index, replica, services, vecstore
from . import vectors as vector_index
from .models import IndexNode, SearchOutbox

logger = logging.getLogger(__name__)

#: Log entries of vectors one pass of the indexer process applies before it looks at the text
#: log again (about 0.1 s of embedding on an idle core, under a second on a loaded one): the
#: text side of a new write waits at most this long behind a burst of vector work.
VECTOR_STEP = 4
#: Seconds between passes when the log is drained.
INTERVAL = 0.5
#: Seconds between log prunes by one indexer.
PRUNE_EVERY = 60.0
#: Seconds before a vector rebuild is tried again after the model failed to load.
MODEL_RETRY = 60.0

_readers: dict[tuple[str, Path | None], replica.LogReader] = {}
_broken: set[tuple[str, str]] = set()
_last_prune: dict[str, float] = {}
_retry_at: dict[str, float] = {}


@dataclass
class PassResult:
    """What one pass did."""

    text_applied: int = 0
    vector_applied: int = 0
    rebuilt: list[str] = field(default_factory=list)


def _reader(kind: str, generation: Path | None) -> replica.LogReader:
    """One reader per generation: entries applied to an old generation say nothing of a new one."""
    key = (kind, generation)
    if key not in _readers:
        parent = generation.parent if generation else None
        for old in [k for k in _readers if k[0] == kind and k[1] is not None and k[1].parent == parent]:
            del _readers[old]
        _readers[key] = replica.LogReader()
    return _readers[key]


def _is_broken(kind: str) -> bool:
    return (str(index.index_dir()), kind) in _broken


def _set_broken(kind: str, broken: bool) -> None:
    key = (str(index.index_dir()), kind)
    if broken:
        _broken.add(key)
    else:
        _broken.discard(key)


def _migrate_layout(root: Path) -> None:
    """Remove an index of the first layout (tantivy files directly under the root)."""
    if (root / "meta.json").is_file():
        logger.warning("search index at %s has the old layout: removing it (it is rebuilt)", root)
        for path in root.iterdir():
            if path.name not in ("text", "vectors") and path.is_file():
                path.unlink()


def _node_problem(cursors: list[int]) -> str:
    """Why this node's indexes cannot simply follow the log ("" when they can)."""
    name = settings.LAWQA_NODE_NAME
    if not services.touch_node(name=name):
        return f"node {name} unknown to the log (new, renamed, forgotten after a long absence, or database restored)"
    newest = SearchOutbox.objects.aggregate(top=Max("id"))["top"] or 0
    if cursors and max(cursors) > newest:
        return f"node {name} ahead of the log ({max(cursors)} > {newest}: database restored?)"
    return ""


def _problems(with_vectors: bool) -> tuple[str, str]:
    text = "text index unusable" if _is_broken("text") else index.check_text()
    vec = ""
    if with_vectors:
        vec = "vector index unusable" if _is_broken("vectors") else vector_index.check_vectors()
    cursors = []
    if not text:
        cursors.append(index.text_cursor().position)
    if with_vectors and not vec:
        cursors.append(vector_index.vector_cursor().position)
    node = _node_problem(cursors) if cursors else ""
    if node:
        text = text or node
        vec = vec or (node if with_vectors else "")
    return text, vec


def _rebuild(text_problem: str, vec_problem: str, *, workers: int = 1, progress=None) -> list[str]:
    """Rebuild the indexes that have a problem, from one cursor taken before reading the database."""
    cursor = replica.start_cursor()
    hold = [cursor.position]
    if not text_problem:
        hold.append(index.text_cursor().position)
    else:
        hold += _resumable_text_build()
    if not vec_problem:
        with _quiet():
            hold.append(vector_index.vector_cursor().position)
    services.hold_log(name=settings.LAWQA_NODE_NAME, position=min(hold), vectors=bool(vec_problem))
    rebuilt = []
    if text_problem:
        logger.warning("search index: rebuilding the text index (%s)", text_problem)
        started = time.monotonic()
        n = index.rebuild_text(cursor, workers=workers, progress=progress)
        _set_broken("text", False)
        index.reset_reader()
        logger.warning(
            "search index: text index rebuilt, %d questions in %.1f s", n, time.monotonic() - started
        )
        rebuilt.append("text")
    if vec_problem:
        logger.warning("search index: rebuilding the vector index (%s)", vec_problem)
        started = time.monotonic()
        try:
            counts = vector_index.rebuild_vectors(cursor, progress=progress)
        except model.ModelUnavailable as exc:
            _retry_at[str(index.index_dir())] = time.monotonic() + MODEL_RETRY
            logger.warning("search index: vector index not rebuilt, embedding model unavailable: %s", exc)
        else:
            _set_broken("vectors", False)
            logger.warning(
                "search index: vector index rebuilt in %.1f s: %s", time.monotonic() - started, counts
            )
            rebuilt.append("vectors")
    return rebuilt


def _resumable_text_build() -> list[int]:
    """The start position of a text rebuild that was killed half-way, when its generation can be
    continued (`index.rebuild_text` does): the log after it is still held for this node (the
    node building since then, nothing pruned). Otherwise that generation is removed."""
    unfinished = index.unfinished_build()
    if unfinished is None:
        return []
    generation, cursor = unfinished
    held = IndexNode.objects.filter(
        name=settings.LAWQA_NODE_NAME, since=None, position__lte=cursor.position
    ).exists()
    if held:
        return [cursor.position]
    logger.warning("search index: %s cannot be continued (the log moved on): starting over", generation.name)
    shutil.rmtree(generation, ignore_errors=True)
    return []


class _quiet:
    """Turn a vector-side read error into "no cursor" (the rebuild decides, not this)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        return exc_type is not None and issubclass(exc_type, vecstore.CorruptVectorIndex)


def _report(with_vectors: bool) -> None:
    text = index.text_cursor() if index.current_text() else None
    vec = None
    if with_vectors:
        with _quiet():
            vec = vector_index.vector_cursor()
    services.report_node(
        name=settings.LAWQA_NODE_NAME,
        position=text.position if text else None,
        since=text.since if text else None,
        vector_position=vec.position if vec else None,
        vector_since=vec.since if vec else None,
    )


def _prune() -> int:
    key = str(index.index_dir())
    if time.monotonic() - _last_prune.get(key, -PRUNE_EVERY) < PRUNE_EVERY:
        return 0
    _last_prune[key] = time.monotonic()
    return services.prune_log(now=replica.db_now())


def run_pass(
    *,
    batch_size: int = 500,
    vector_batch: int = 256,
    lock_timeout: float | None = 30.0,
    vectors: bool = True,
    max_batches: int | None = None,
    vector_max_batches: int | None = None,
) -> PassResult:
    """One pass (see the module docstring). Returns what it did; nothing when another writer
    holds the lock past `lock_timeout`."""
    with_vectors = vectors
    root = index.index_dir()
    result = PassResult()
    with engine.writer_lock(root, timeout=lock_timeout) as held:
        if not held:
            logger.info("search indexer: another writer holds %s; leaving the log to it", root)
            return result
        _migrate_layout(root)
        text_problem, vec_problem = _problems(with_vectors)
        # After the model failed to load, the vector side waits MODEL_RETRY s before trying again.
        model_wait = time.monotonic() < _retry_at.get(str(root), 0.0)
        if text_problem or (vec_problem and not model_wait):
            result.rebuilt = _rebuild(text_problem, "" if model_wait else vec_problem)
        try:
            text_gen = index.current_text()
            result.text_applied = index.apply_text(
                _reader("text", text_gen), batch_size=batch_size, max_batches=max_batches
            )
        except (OSError, ValueError) as exc:
            logger.warning("search index: applying the log to the text index failed (%s): rebuilding", exc)
            _set_broken("text", True)
        if (
            with_vectors
            and not model_wait
            and not _is_broken("vectors")
            and not (vec_problem and "vectors" not in result.rebuilt)
        ):
            vec_path = replica.current_generation(vector_index.vector_dir())
            try:
                result.vector_applied = vector_index.apply_vectors(
                    _reader("vectors", vec_path),
                    batch_size=vector_batch,
                    max_batches=vector_max_batches if vector_max_batches is not None else max_batches,
                )
            except model.ModelUnavailable as exc:
                _retry_at[str(root)] = time.monotonic() + MODEL_RETRY
                logger.warning("search index: vector index not updated, embedding model unavailable: %s", exc)
            except (vecstore.CorruptVectorIndex, OSError, ValueError) as exc:
                logger.warning(
                    "search index: applying the log to the vector index failed (%s): rebuilding", exc
                )
                _set_broken("vectors", True)
        _report(with_vectors)
        _prune()
    if result.text_applied or result.rebuilt:
        index.reset_reader()
    return result


def rebuild_all(
    *, progress: Callable[[int], None] | None = None, workers: int = 1, vectors: bool = True
) -> int:
    """Rebuild this node's indexes from the database (waits for the writer lock); returns the
    number of questions in the text index."""
    root = index.index_dir()
    with engine.writer_lock(root):
        _migrate_layout(root)
        _rebuild("requested", "requested" if vectors else "", workers=workers, progress=progress)
        _report(vectors)
    index.reset_reader()
    return index.count_indexable()


def run_forever(
    *, interval: float = INTERVAL, once: bool = False, write: Callable[[str], None] = print
) -> None:
    """The indexer process: passes until stopped; a failing pass is logged and retried with
    backoff (the database may be away), never ends the process."""
    failures = 0
    while True:
        try:
            # Text first and whole; then at most VECTOR_STEP entries of vectors (embedding costs
            # tens of ms a question), so new questions are searchable by their words within a
            # pass even while a burst of writes waits for its vectors.
            result = run_pass(vector_batch=VECTOR_STEP, vector_max_batches=1)
            failures = 0
        except Exception:
            failures += 1
            logger.exception("search indexer pass failed (%d in a row)", failures)
            if once:
                raise
            time.sleep(min(60.0, interval * 2**failures))
            continue
        if result.rebuilt:
            write(f"rebuilt {', '.join(result.rebuilt)}")
        if result.text_applied or result.vector_applied:
            write(f"indexed {result.text_applied} change(s), {result.vector_applied} vector change(s)")
        if once:
            return
        if result.vector_applied < VECTOR_STEP:  # else more vectors wait: go on at once
            time.sleep(interval)
