"""Index replicas: reading the search change log from a position, and index generations on disk.

Every node keeps its own indexes (tantivy and vectors) under `LAWQA_INDEX_DIR` and reads the
one change log (`SearchOutbox`, id = sequence) from its own cursor:

* `position` — every entry with an id up to it has been applied;
* `since` — entries created at or after this (database) time are checked again. On PostgreSQL
  ids are handed out at insert but become visible at commit, so an entry with a smaller id can
  appear after a larger one was read. Such an entry belongs to a transaction still open when
  the larger one was read; `since` trails the time of each read by `SETTLE`, so as long as no
  transaction stays open longer than that after writing its entry, a late entry is still
  inside the window. Applying an entry twice is harmless (it re-reads the question).

Each index lives in a generation directory `<kind>/<generation>/`, named by `<kind>/CURRENT`
(replaced atomically). A rebuild writes a new generation while readers use the old one, then
switches `CURRENT`; a half-written generation is never current and is removed later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from .models import SearchOutbox

logger = logging.getLogger(__name__)

#: How long a write transaction may stay open after writing its log entry and still be seen
#: by the readers that already passed its id (see the module docstring).
SETTLE = dt.timedelta(seconds=60)
CURRENT = "CURRENT"


@dataclass(frozen=True)
class Cursor:
    """Where a reader stands in the log (see the module docstring)."""

    position: int = 0
    since: dt.datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {"position": self.position, "since": self.since.isoformat() if self.since else ""}

    @classmethod
    def from_json(cls, data: dict) -> Cursor:
        since = data.get("since") or ""
        return cls(position=int(data["position"]), since=dt.datetime.fromisoformat(since) if since else None)


def db_now() -> dt.datetime:
    """The database's clock (the log's `created` comes from it, not from this node's clock)."""
    # PostgreSQL's CURRENT_TIMESTAMP is the transaction's start; entries carry the statement's.
    # SQLite: milliseconds, as Django's Now() writes them (CURRENT_TIMESTAMP has whole seconds only,
    # and an entry written in the same second would look newer than a cursor that passed it).
    if connection.vendor == "postgresql":
        sql = "SELECT STATEMENT_TIMESTAMP()"
    else:
        sql = "SELECT STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite: 'YYYY-MM-DD HH:MM:SS.SSS' in UTC
        value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value


def start_cursor() -> Cursor:
    """The cursor of an index about to be built from the database: everything in the log now is
    covered by what the build will read; entries of transactions still open are re-checked."""
    now = db_now()
    last = SearchOutbox.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return Cursor(position=last, since=now - SETTLE)


class LogReader:
    """Reads the entries a cursor has not applied yet; remembers, in this process, the late
    entries already applied, so the `since` window is not applied again and again."""

    def __init__(self) -> None:
        self._seen: dict[int, dt.datetime] = {}
        self._pending: list[tuple[int, dt.datetime]] = []

    def read(self, cursor: Cursor, *, limit: int) -> tuple[list[int], Cursor]:
        """(question ids to apply, the cursor once they are applied); call `applied()` after
        the index and its new position are written."""
        now = db_now()
        since = max(now - SETTLE, cursor.since) if cursor.since is not None else now - SETTLE
        late: list[tuple[int, int, dt.datetime]] = []
        if cursor.since is not None:
            late = [
                row
                for row in SearchOutbox.objects.filter(id__lte=cursor.position, created__gte=cursor.since)
                .order_by("id")
                .values_list("id", "question_id", "created")
                if row[0] not in self._seen
            ]
            if len(late) > limit:  # the rest next time: the window must not move past them yet
                late, since = late[:limit], cursor.since
        new = list(
            SearchOutbox.objects.filter(id__gt=cursor.position)
            .order_by("id")
            .values_list("id", "question_id", "created")[:limit]
        )
        rows = late + new
        self._pending = [(entry_id, created) for entry_id, _, created in rows]
        position = new[-1][0] if new else cursor.position
        return sorted({row[1] for row in rows}), Cursor(position=position, since=since)

    def applied(self, cursor: Cursor) -> None:
        """The entries of the last `read` are applied and `cursor` is stored."""
        self._seen.update(self._pending)
        self._pending = []
        if cursor.since is not None:
            self._seen = {i: c for i, c in self._seen.items() if c >= cursor.since}


def lag(position: int) -> int:
    """Log entries after `position` (not yet applied by a reader standing there)."""
    return SearchOutbox.objects.filter(id__gt=position).count()


# --- generations on disk ---------------------------------------------------------------------


def current_generation(kind_dir: Path) -> Path | None:
    """The directory `kind_dir/CURRENT` names, or None when there is none."""
    try:
        name = (kind_dir / CURRENT).read_text().strip()
    except OSError:
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    path = kind_dir / name
    return path if path.is_dir() else None


def new_generation(kind_dir: Path) -> Path:
    """A fresh, not yet existing generation directory under `kind_dir`."""
    kind_dir.mkdir(parents=True, exist_ok=True)
    return kind_dir / f"g{time.time_ns()}-{os.getpid()}"


def publish(kind_dir: Path, generation: Path) -> None:
    """Make `generation` current (atomic rename), then remove every other generation.

    Readers that still have an old generation open keep their open files (POSIX unlink)."""
    tmp = kind_dir / f".{CURRENT}.{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(generation.name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, kind_dir / CURRENT)
    remove_stale(kind_dir)


def remove_stale(kind_dir: Path) -> None:
    """Remove generations that are not current (left by a replaced or interrupted build)."""
    current = current_generation(kind_dir)
    for path in kind_dir.iterdir() if kind_dir.is_dir() else ():
        if path.is_dir() and path != current:
            shutil.rmtree(path, ignore_errors=True)


# --- position files --------------------------------------------------------------------------


def _checksum(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def write_position(path: Path, cursor: Cursor, **extra: object) -> None:
    """Write the cursor (and `extra` fields) to `path` atomically, with a checksum."""
    payload = {**cursor.to_json(), **extra}
    body = json.dumps({**payload, "checksum": _checksum(payload)})
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class BadPosition(ValueError):
    """A position file that is missing, unreadable or fails its checksum."""


def read_position(path: Path) -> tuple[Cursor, dict]:
    """(cursor, all fields) from a position file; raises BadPosition."""
    try:
        data = json.loads(path.read_text())
        checksum = data.pop("checksum")
        if checksum != _checksum(data):
            raise BadPosition(f"{path}: checksum mismatch")
        return Cursor.from_json(data), data
    except BadPosition:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadPosition(f"{path}: {exc}") from exc
