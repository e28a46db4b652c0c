"""The project's index: where it lives, how web workers read it, how the indexer writes it.

Web workers only read: `searcher()` returns a searcher over the last commit (the reader reloads
on commit, and at most every `RELOAD_INTERVAL` seconds we also ask it explicitly). Writes happen
in the indexer (`apply_outbox`, `rebuild`), which holds the single-writer lock.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import shutil
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

from . import engine
from .models import SearchOutbox

logger = logging.getLogger(__name__)

RELOAD_INTERVAL = 1.0
ANSWERED_STATUSES = (Question.Status.ANSWERED, Question.Status.ACCEPTED)

_reader_lock = threading.Lock()
_reader: dict[str, object] = {}


def index_dir() -> Path:
    return Path(settings.LAWQA_INDEX_DIR)


def _open_reader() -> tantivy.Index:
    path = index_dir()
    with _reader_lock:
        if _reader.get("path") != path:
            _reader.clear()
            _reader.update(path=path, index=engine.open_index(path), reloaded=time.monotonic())
        index: tantivy.Index = _reader["index"]  # type: ignore[assignment]
        if time.monotonic() - float(_reader["reloaded"]) > RELOAD_INTERVAL:  # type: ignore[arg-type]
            index.reload()
            _reader["reloaded"] = time.monotonic()
        return index


def searcher() -> tantivy.Searcher:
    """A searcher over the latest commit; use one per request."""
    return _open_reader().searcher()


def reset_reader() -> None:
    """Forget the cached reader (tests switch index directories; rebuild may recreate one)."""
    with _reader_lock:
        _reader.clear()


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


# --- writing ---------------------------------------------------------------------------------


def apply_outbox(*, batch_size: int = 500, lock_timeout: float = 30.0, max_batches: int | None = None) -> int:
    """Apply pending outbox rows to the index in batches under the writer lock; returns rows applied.

    Each batch: read rows, load those questions, replace or remove their documents, commit, then
    delete the rows. A crash in between leaves the rows to be applied again (idempotent).
    """
    path = index_dir()
    applied = 0
    with engine.writer_lock(path, timeout=lock_timeout) as held:
        if not held:
            logger.info("search indexer: another writer holds the lock; leaving the outbox for it")
            return 0
        index = engine.open_index(path)
        batches = 0
        while max_batches is None or batches < max_batches:
            rows = list(SearchOutbox.objects.order_by("id")[:batch_size])
            if not rows:
                break
            ids = {row.question_id for row in rows}
            docs = [to_doc(q) for q in indexable_questions().filter(pk__in=ids)]
            gone = ids - {d.question_id for d in docs}
            with engine.index_writer(index) as writer:
                engine.apply_changes(writer, upserts=docs, deletes=sorted(gone))
                writer.commit()
            SearchOutbox.objects.filter(id__lte=rows[-1].id, id__in=[r.id for r in rows]).delete()
            applied += len(rows)
            batches += 1
    if applied:
        reset_reader()
    return applied


def _chunks(qs, size: int) -> Iterator[list[Question]]:
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _segment_docs(docs: list[engine.IndexDoc]) -> list[dict[str, object]]:
    return [engine.doc_fields(doc) for doc in docs]


def _field_batches(workers: int, chunk: int) -> Iterator[list[dict[str, object]]]:
    """Segmented documents of all indexable questions, chunk by chunk; segmentation (the costly
    part) runs in `workers` processes while this one reads the database and feeds tantivy."""
    docs = ([to_doc(q) for q in questions] for questions in _chunks(indexable_questions(), chunk))
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


def rebuild(
    *,
    progress: Callable[[int], None] | None = None,
    recreate: bool = False,
    chunk: int = 2000,
    workers: int = 1,
) -> int:
    """Rebuild the index from the database in one commit (readers see the old index until then).

    Outbox rows already present are covered by the rebuild and removed; rows written during it
    stay for the indexer. `recreate` deletes the directory first (needed after a schema change).
    """
    path = index_dir()
    n = 0
    with engine.writer_lock(path):
        if recreate or (path.exists() and not engine.schema_is_current(path)):
            shutil.rmtree(path, ignore_errors=True)
        covered = SearchOutbox.objects.order_by("-id").values_list("id", flat=True).first() or 0
        index = engine.open_index(path)
        with engine.index_writer(index, heap_size=512_000_000, num_threads=2) as writer:
            writer.delete_all_documents()
            for batch in _field_batches(workers, chunk):
                for fields in batch:
                    writer.add_document(tantivy.Document(**fields))
                n += len(batch)
                if progress:
                    progress(len(batch))
            writer.commit()
        SearchOutbox.objects.filter(id__lte=covered).delete()
    reset_reader()
    return n


def count_indexable() -> int:
    return Question.objects.visible().count()
