"""Cursor pagination for the API's lists: keyset pages over the list's sort key, never OFFSET.

A page is `{"items": [...], "next_cursor": "…" | null}`; the client sends `next_cursor` back as
`cursor` for the next page, and stops at null. A cursor is a plain keyset: the sort key of the
last item of the page, its parts joined by dots (a time in microseconds since 1970-01-01 UTC, then
integers; e.g. `1764456540123456.8812` for (created_at, id)). Any string matching the cursor's
pattern (`Cursor`) is a valid position (the page simply starts after it), so there is no "bad cursor" error,
and a page costs the same at row 20 as at row 1,000,000: one indexed range scan of `limit + 1`
rows (the one extra tells whether there is a next page).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import Q, QuerySet
from ninja import Field, Schema

T = TypeVar("T")

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The latest time a cursor can name; a larger number means "after everything" (not an error).
LATEST = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class CursorPage(Schema, Generic[T]):
    """One page of a list."""

    items: list[T]
    next_cursor: str | None = Field(
        None, description="下一页的游标：作为 cursor 参数原样传回；为 null 表示没有更多了"
    )


# The `cursor` query parameter of every list: one to three numbers joined by dots.
Cursor = Annotated[
    str | None,
    Field(
        pattern=r"^[0-9]{1,18}(\.[0-9]{1,18}){0,2}$",
        max_length=56,
        description="上一页响应中的 next_cursor，原样传回（取第一页时不传）",
    ),
]


Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="每页条数（1–100）")]


class PageIn(Schema):
    """The query parameters every list takes (lists add their filters by subclassing)."""

    cursor: Cursor = None
    limit: Limit = DEFAULT_LIMIT


@dataclass(frozen=True)
class Key:
    """One part of a list's sort key: the field, its direction, and how it travels in a cursor."""

    field: str
    descending: bool = True
    kind: str = "int"  # "int", "time" (microseconds), "micro" (a float in millionths, e.g. 推荐分)

    def encode(self, value: Any) -> str:
        if self.kind == "time":
            return str((value - EPOCH) // MICROSECOND)
        if self.kind == "micro":
            return str(round(value * 1_000_000))
        return str(value)

    def decode(self, text: str) -> Any:
        number = int(text)
        if self.kind == "time":
            return EPOCH + number * MICROSECOND if number < 10**16 else LATEST
        if self.kind == "micro":
            return number / 1_000_000
        return number


NEWEST_FIRST = (Key("created_at", kind="time"), Key("id"))


def _after(keys: Sequence[Key], values: Sequence[Any]) -> Q:
    """Rows after the position `values` in the order of `keys` (the lexicographic keyset
    condition: k1 after v1, or k1 = v1 and k2 after v2, …)."""
    steps = []
    for i, key in enumerate(keys):
        step = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": values[i]})
        for earlier, value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{earlier.field: value})
        steps.append(step)
    # The first key's bound, redundant with the OR, lets the database start the index scan there.
    first = keys[0]
    bound = Q(**{f"{first.field}__{'lte' if first.descending else 'gte'}": values[0]})
    return bound & reduce(operator.or_, steps)


def _attribute(row: Any, key: Key) -> Any:
    for name in key.field.split("__"):
        row = getattr(row, name)
    return row


def keyset_page(
    queryset: QuerySet,
    *,
    cursor: str | None,
    limit: int,
    keys: Sequence[Key] = NEWEST_FIRST,
    value_of: Callable[[Any, Key], Any] | None = None,
) -> dict[str, Any]:
    """The page of `queryset` after `cursor`, in the order of `keys` (the queryset's own order is
    replaced). `value_of(row, key)` reads a key from a row (default: the attribute)."""
    queryset = queryset.order_by(*(f"-{k.field}" if k.descending else k.field for k in keys))
    if cursor:
        # Missing parts count as 0, extra ones are ignored: every string of the pattern is a position.
        parts = [*cursor.split("."), "0", "0"][: len(keys)]
        values = [key.decode(part) for key, part in zip(keys, parts, strict=True)]
        queryset = queryset.filter(_after(keys, values))
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        read = value_of or _attribute
        next_cursor = ".".join(key.encode(read(rows[-1], key)) for key in keys)
    return {"items": rows, "next_cursor": next_cursor}
