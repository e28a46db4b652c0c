"""This node's tantivy index: where it lives, how web workers read it, how the indexer writes it.

Layout under `LAWQA_INDEX_DIR` (see `replica` for generations and cursors):

    text/CURRENT              name of the current generation
    text/<generation>/        tantivy files, `lawqa-schema-version`, and `position.json` — the log
                              cursor the index reflects, written (atomically) after each commit
    vectors/…                 the vector index (`vectors.py`)

Web workers only read: `searcher()` returns a searcher over the current generation's last
commit (checked at most every RELOAD_INTERVAL seconds). The indexer (`indexer.py`, holding the
writer lock) applies the log (`apply_text`) or builds a new generation (`rebuild_text`).
A crash after the commit but before `position.json` is written leaves the position behind the
index: the entries are applied again, which changes nothing.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connections
from django.db.models import Prefetch

from lawqa.questions.models import Answer, Question

from . import engine, replica

logger = logging.getLogger(__name__)

#: Seconds a web worker keeps its tantivy reader before looking for a newer commit (a file read
#: and a cheap reload), part of how soon a write is searchable.
RELOAD_INTERVAL = 0.25
ANSWERED_STATUSES = (Question.Status.ANSWERED, Question.Status.ACCEPTED)
POSITION_FILE = "position.json"
#: In a generation being built: the log cursor the build started from (removed when published).
#: A rebuild killed half-way leaves it, and the next rebuild continues that generation.
BUILD_FILE = "build.json"
#: A rebuild commits every this many questions: what a crash can cost it.
BUILD_COMMIT_EVERY = 100_000
#: Questions read from the database (and segmented) at a time by a rebuild.
BUILD_CHUNK = 2000

_reader_lock = threading.Lock()
_reader: dict[str, object] = {}


class IndexUnavailable(OSError):
    """This node has no readable search index (not built yet, or being rebuilt)."""


def index_dir() -> Path:
    """The node's index root (`LAWQA_INDEX_DIR`); the writer lock is `<root>.lock`."""
    return Path(settings.LAWQA_INDEX_DIR)


def text_dir() -> Path:
    return index_dir() / "text"


def current_text() -> Path | None:
    return replica.current_generation(text_dir())


def _open_reader() -> tantivy.Index:
    with _reader_lock:
        now = time.monotonic()
        if _reader.get("root") == index_dir() and now - float(_reader["checked"]) < RELOAD_INTERVAL:  # type: ignore[arg-type]
            return _reader["index"]  # type: ignore[return-value]
        generation = current_text()
        if generation is None:
            _reader.clear()
            raise IndexUnavailable("search index not built yet")
        if _reader.get("root") == index_dir() and _reader.get("generation") == generation:
            index: tantivy.Index = _reader["index"]  # type: ignore[assignment]
            index.reload()
        else:
            _reader.clear()
            index = engine.open_index(generation, create=False)
        _reader.update(root=index_dir(), generation=generation, index=index, checked=now)
        return index


def searcher() -> tantivy.Searcher:
    """A searcher over the latest commit; use one per request. Raises IndexUnavailable (an
    OSError) or ValueError when the index is missing or unreadable: callers degrade."""
    return _open_reader().searcher()


def reset_reader() -> None:
    """Forget the cached reader (tests switch index directories)."""
    with _reader_lock:
        _reader.clear()


def index_status() -> dict[str, object]:
    """This node's text index: {"ok", "lag" (log entries not applied yet), "detail", "position",
    "generation"}. One query and one small file read."""
    generation = current_text()
    if generation is None:
        return {
            "ok": False,
            "lag": replica.lag(0),
            "detail": "no search index (being built?)",
            "position": None,
        }
    try:
        cursor, _ = replica.read_position(generation / POSITION_FILE)
    except replica.BadPosition as exc:
        return {"ok": False, "lag": replica.lag(0), "detail": f"unreadable position: {exc}", "position": None}
    behind = replica.lag(cursor.position)
    return {
        "ok": True,
        "lag": behind,
        "detail": f"{generation.name} at log position {cursor.position}, {behind} behind",
        "position": cursor.position,
        "generation": generation.name,
    }


# --- documents from the database -------------------------------------------------------------


def indexable_questions():
    """Visible questions with their visible answers and area, ready for `to_doc`."""
    return (
        Question.objects.visible()
        .select_related("category")
        .prefetch_related(
            Prefetch("answers", Answer.objects.filter(is_hidden=False).only("question_id", "body"))
        )
        .only("id", "title", "detail", "status", "created_at", "is_hidden", "category__slug")
    )


def to_doc(question: Question) -> engine.IndexDoc:
    answers = "\n".join(a.body for a in question.answers.all())
    return engine.IndexDoc(
        question_id=question.pk,
        title=question.title,
        detail=question.detail,
        answers=answers,
        area=question.category.slug,
        answered=question.status in ANSWERED_STATUSES,
        created=question.created_at,
    )


def count_indexable() -> int:
    return Question.objects.visible().count()


# --- the indexer's side (callers hold engine.writer_lock(index_dir())) --------------------------


def check_text() -> str:
    """Why the current text index cannot be used ("" when it can)."""
    generation = current_text()
    if generation is None:
        return "missing"
    if not engine.schema_is_current(generation):
        return "schema changed"
    try:
        replica.read_position(generation / POSITION_FILE)
        stat = (generation / "meta.json").stat()
        key = (generation, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if _checked.get("text") != key:  # opened once per commit, not on every pass
            engine.open_index(generation, create=False).searcher().num_docs  # noqa: B018 - opens every segment
            _checked["text"] = key
    except (OSError, ValueError) as exc:
        return f"unreadable: {exc}"
    return ""


_checked: dict[str, object] = {}


def text_cursor() -> replica.Cursor:
    generation = current_text()
    if generation is None:
        raise IndexUnavailable("search index not built yet")
    return replica.read_position(generation / POSITION_FILE)[0]


def apply_text(reader: replica.LogReader, *, batch_size: int = 500, max_batches: int | None = None) -> int:
    """Apply the log from the text index's position, batch by batch; returns entries applied.

    Each batch: read entries, load those questions, replace or remove their documents, commit,
    then write the new position."""
    generation = current_text()
    if generation is None:
        raise IndexUnavailable("search index not built yet")
    index = engine.open_index(generation, create=False)
    cursor = text_cursor()
    applied = batches = 0
    while max_batches is None or batches < max_batches:
        ids, after = reader.read(cursor, limit=batch_size)
        if ids:
            docs = [to_doc(q) for q in indexable_questions().filter(pk__in=ids)]
            gone = set(ids) - {d.question_id for d in docs}
            with engine.index_writer(index) as writer:
                engine.apply_changes(writer, upserts=docs, deletes=sorted(gone))
                writer.commit()
        if after != cursor:
            replica.write_position(generation / POSITION_FILE, after)
        reader.applied(after)
        applied += len(ids)
        batches += 1
        if after.position == cursor.position:
            break
        cursor = after
    return applied


def _chunks(qs, size: int, after: int = 0) -> Iterator[list[Question]]:
    last = after
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _segment_docs(docs: list[engine.IndexDoc]) -> list[dict[str, object]]:
    return [engine.doc_fields(doc) for doc in docs]


def _field_batches(workers: int, chunk: int, after: int = 0) -> Iterator[list[dict[str, object]]]:
    """Segmented documents of the indexable questions with an id above `after`, chunk by chunk in
    id order; segmentation (the costly part) runs in `workers` processes while this one reads the
    database and feeds tantivy."""
    docs = ([to_doc(q) for q in questions] for questions in _chunks(indexable_questions(), chunk, after))
    if workers <= 1:
        yield from map(_segment_docs, docs)
        return
    # Forked workers only segment text and never touch the database; still, hand them no open
    # socket when we can: outside a transaction the parent simply reconnects on its next query.
    if not any(conn.in_atomic_block for conn in connections.all()):
        connections.close_all()
    with mp.get_context("fork").Pool(workers) as pool:
        # The database is read here, in this thread (Django connections are per thread).
        pending: deque = deque()
        for batch in docs:
            pending.append(pool.apply_async(_segment_docs, (batch,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def unfinished_build() -> tuple[Path, replica.Cursor] | None:
    """A generation that a rebuild killed half-way left behind and that can be continued (the
    current schema, readable, its start cursor intact), with that cursor; else None."""
    current = current_text()
    for path in sorted(text_dir().glob("g*"), reverse=True) if text_dir().is_dir() else []:
        if path == current or not (path / BUILD_FILE).is_file() or not engine.schema_is_current(path):
            continue
        try:
            cursor, _ = replica.read_position(path / BUILD_FILE)
            engine.open_index(path, create=False).searcher()
        except (OSError, ValueError):
            continue
        return path, cursor
    return None


def _last_indexed(index: tantivy.Index) -> tuple[int, int]:
    """(highest question id, documents) committed in `index`."""
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=1, order_by_field="question_id").hits
    return (int(hits[0][0]) if hits else 0), searcher.num_docs


def rebuild_text(
    cursor: replica.Cursor,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
    workers: int = 1,
) -> int:
    """Build a new generation from the database and make it current; returns documents.

    `cursor` is where the log stood before the database was read (`replica.start_cursor`):
    the new index starts following the log from there. Readers use the old generation until
    the switch. Questions go in id order with a commit every BUILD_COMMIT_EVERY, so a build
    killed half-way is continued by the next one (`unfinished_build`: that generation and the
    cursor it started from; the caller holds the log from that cursor)."""
    resumed = unfinished_build()
    if resumed is not None:
        generation, cursor = resumed
        index = engine.open_index(generation, create=False)
        after, n = _last_indexed(index)
        logger.warning("search index: continuing the rebuild in %s after question %d", generation.name, after)
        if progress and n:
            progress(n)
    else:
        generation = replica.new_generation(text_dir())
        index = engine.open_index(generation)
        replica.write_position(generation / BUILD_FILE, cursor)
        after = n = 0
    uncommitted = 0
    with engine.index_writer(index, heap_size=512_000_000, num_threads=2) as writer:
        for batch in _field_batches(workers, chunk or BUILD_CHUNK, after):
            for fields in batch:
                writer.add_document(tantivy.Document(**fields))
            n += len(batch)
            uncommitted += len(batch)
            if uncommitted >= BUILD_COMMIT_EVERY:
                writer.commit()
                uncommitted = 0
            if progress:
                progress(len(batch))
        writer.commit()
    replica.write_position(generation / POSITION_FILE, cursor)
    (generation / BUILD_FILE).unlink()
    replica.publish(text_dir(), generation)
    return n


# --- one call for scripts and tests ---------------------------------------------------------


def apply_outbox(*, batch_size: int = 500, lock_timeout: float = 30.0, vectors: bool = True) -> int:
    """Bring this node's indexes up to date with the log now (what one indexer pass does):
    builds them from the database when missing or unreadable. Returns text entries applied,
    0 when another writer holds the lock."""
    from . import indexer

    return indexer.run_pass(batch_size=batch_size, lock_timeout=lock_timeout, vectors=vectors).text_applied


def rebuild(*, progress: Callable[[int], None] | None = None, workers: int = 1, vectors: bool = True) -> int:
    """Rebuild this node's indexes from the database (new generations); returns documents."""
    from . import indexer

    return indexer.rebuild_all(progress=progress, workers=workers, vectors=vectors)
