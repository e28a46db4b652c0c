"""A readable inline diff of two versions of a text (an answer's revision history).

Pure module: no Django, typed. Chinese has no spaces between words, so the diff is by character,
inside the paragraphs that changed (a paragraph-level diff first keeps long texts fast and the
result calm); tiny unchanged bits between two changes are folded into them, and long unchanged
stretches are cut to `context` characters on each side. The caller renders the segments with
escaping (`<del>` / `<ins>`), so nothing in the text is ever interpreted as markup.

>>> [(s.op, s.text) for s in diff_segments("公司拖欠工资三个月。", "公司拖欠工资四个月。")]
[('equal', '公司拖欠工资'), ('delete', '三'), ('insert', '四'), ('equal', '个月。')]
>>> change_counts(diff_segments("申请仲裁", "申请劳动仲裁"))
(2, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["Segment", "change_counts", "diff_segments"]

Op = Literal["equal", "insert", "delete", "skip"]

# Paragraph blocks longer than this (old + new characters) are shown as replaced, not diffed
# by character: SequenceMatcher is quadratic.
CHAR_DIFF_LIMIT = 6000
# Unchanged runs at most this long between two changes are folded into the changes.
FOLD_MAX = 1


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the diff: unchanged, inserted or deleted text, or `skip` (an unchanged stretch
    left out; `text` then says how many characters)."""

    op: Op
    text: str


def _char_opcodes(old: str, new: str) -> list[Segment]:
    out: list[Segment] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Segment("equal", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(Segment("delete", old[i1:i2]))
        if j2 > j1:
            out.append(Segment("insert", new[j1:j2]))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbours of the same kind; keep deletions before insertions within a change."""
    out: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if out and out[-1].op == seg.op:
            out[-1] = Segment(seg.op, out[-1].text + seg.text)
        else:
            out.append(seg)
    return out


def _fold(segments: list[Segment]) -> list[Segment]:
    """Fold a tiny unchanged run between two changes into both sides, so that "三个月" → "四个
    半月" reads as one replacement instead of confetti."""
    out: list[Segment] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        between_changes = 0 < i < len(segments) - 1 and segments[i + 1].op != "equal" and out
        if seg.op == "equal" and len(seg.text) <= FOLD_MAX and between_changes:
            out.append(Segment("delete", seg.text))
            out.append(Segment("insert", seg.text))
        else:
            out.append(seg)
        i += 1
    # Regroup each change as all its deletions, then all its insertions.
    grouped: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for seg in [*out, Segment("equal", "")]:
        if seg.op == "delete":
            deleted.append(seg.text)
        elif seg.op == "insert":
            inserted.append(seg.text)
        else:
            if deleted:
                grouped.append(Segment("delete", "".join(deleted)))
            if inserted:
                grouped.append(Segment("insert", "".join(inserted)))
            deleted, inserted = [], []
            grouped.append(seg)
    return _merge(grouped)


def _cut(segments: list[Segment], context: int) -> list[Segment]:
    """Long unchanged runs keep `context` characters next to each change."""
    out: list[Segment] = []
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if seg.op != "equal":
            out.append(seg)
            continue
        text = seg.text
        head = context if i > 0 else 0  # after a change
        tail = context if i < last else 0  # before a change
        if len(text) <= head + tail + 20:
            out.append(seg)
            continue
        if head:
            out.append(Segment("equal", text[:head]))
        out.append(Segment("skip", str(len(text) - head - tail)))
        if tail:
            out.append(Segment("equal", text[len(text) - tail :]))
    return out


def diff_segments(old: str, new: str, *, context: int | None = None) -> list[Segment]:
    """The changes from `old` to `new` as segments; `context`: keep only that many unchanged
    characters around each change (None keeps everything).

    >>> [s.op for s in diff_segments("甲" * 100 + "乙", "甲" * 100 + "丙", context=5)]
    ['skip', 'equal', 'delete', 'insert']
    >>> diff_segments("同样", "同样")
    [Segment(op='equal', text='同样')]
    """
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        a, b = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            segments.append(Segment("equal", a))
        elif tag == "replace" and len(a) + len(b) <= CHAR_DIFF_LIMIT:
            segments.extend(_char_opcodes(a, b))
        else:
            segments.append(Segment("delete", a))
            segments.append(Segment("insert", b))
    segments = _fold(_merge(segments))
    return _cut(segments, context) if context is not None else segments


def change_counts(segments: list[Segment]) -> tuple[int, int]:
    """(characters inserted, characters deleted)."""
    inserted = sum(len(s.text) for s in segments if s.op == "insert")
    deleted = sum(len(s.text) for s in segments if s.op == "delete")
    return inserted, deleted
