"""Parse one statute document (LawRefBook markdown body) into headings and articles.

Pure: no Django. The bundle script and the `import_laws` command both call `parse_body`; what it
cannot parse is returned in `ParsedDocument.problems` so the import can report it per document.

Format (see ../shared/data/README.md): `#`-headings are 编/分编/章/节; an article starts at a line
`第X条␠text` (`第X条之一` for inserted articles); the following lines up to the next article or
heading are its paragraphs (款); lines starting with `（一）` are items (项) of the paragraph above.
Known defects handled here: `第一百二十八 条` (a space before 条, no space after) and `(一)` with
ASCII parentheses (工伤保险条例).

>>> doc = parse_body("## 第一章 总则\\n\\n第一条 为了……制定本法。\\n\\n第二条 有下列情形之一的：\\n(一)甲；\\n（二）乙。")
>>> [(a.number, a.label, a.headings) for a in doc.articles]
[(1, '第一条', ('第一章 总则',)), (2, '第二条', ('第一章 总则',))]
>>> doc.articles[1].paragraphs[0].items
('（一）甲；', '（二）乙。')
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lawqa.common import numerals
from lawqa.statutes.citations import LawInfo

CN_NUM_CHARS = "零〇一二三四五六七八九两十百千"
_CN_LABEL = "零一二三四五六七八九"


def cn_to_int(s: str) -> int:
    """Chinese or Arabic (also full-width) numeral → int; anything else raises ValueError.

    >>> [cn_to_int(x) for x in ["一千零三十八", "十", "十二", "二百六十四", "１０７９", "一〇七九"]]
    [1038, 10, 12, 264, 1079, 1079]
    """
    return numerals.cn_to_int(s, strict=True)


def int_to_cn(n: int) -> str:
    """int → Chinese numeral as written in article labels.

    >>> [int_to_cn(x) for x in (1, 10, 12, 20, 105, 110, 1038, 1260, 2000)]
    ['一', '十', '十二', '二十', '一百零五', '一百一十', '一千零三十八', '一千二百六十', '二千']
    """
    if n == 0:
        return "零"
    parts: list[str] = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    started = False
    for value, unit in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                parts.append("零")
                zero = False
            parts.append(_CN_LABEL[d] + unit)
            started = True
        elif started and n:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def article_label(number: int, sub: int = 0) -> str:
    """The label of an article as the statutes write it.

    >>> article_label(133, 1)
    '第一百三十三条之一'
    """
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(sub)}" if sub else "")


@dataclass(frozen=True)
class Paragraph:
    """One 款: its text and the 项 items listed under it."""

    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedArticle:
    """One article: 第number条之sub, under `headings` (编 › 章 › 节)."""

    number: int
    sub: int
    label: str
    headings: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        lines: list[str] = []
        for p in self.paragraphs:
            lines.append(p.text)
            lines.extend(p.items)
        return "\n".join(line for line in lines if line)


@dataclass
class ParsedDocument:
    """What `parse_body` found: headings in order, articles, loose text, and problems."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_ARTICLE = re.compile(rf"^第([{CN_NUM_CHARS}]+|\d+)(\s*)条(?:之([{CN_NUM_CHARS}]+))?([ \u3000\t]*)(.*)$")
_ITEM = re.compile(rf"^[（(]([{CN_NUM_CHARS}]+)[）)]\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_SPACES = re.compile(r"\s+")
# A few source files run several articles (and their items) together on one line.
_RUN_ON = re.compile(rf"[ \u3000]第[{CN_NUM_CHARS}]+条(?:之[{CN_NUM_CHARS}]+)?[ \u3000]")
_RUN_ON_SPLIT = re.compile(
    rf"[ \u3000]+(?=第[{CN_NUM_CHARS}]+条(?:之[{CN_NUM_CHARS}]+)?[ \u3000])"
    rf"|[ \u3000]+(?=[（(][{CN_NUM_CHARS}]+[）)])|(?<=[。；：])[ \u3000]+"
)


def _lines(body: str):
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("第") and _RUN_ON.search(line):
            yield from (part.strip() for part in _RUN_ON_SPLIT.split(line))
        else:
            yield line


def _flush(
    doc: ParsedDocument, current: tuple[int, int, tuple[str, ...]] | None, paras: list[list[str]]
) -> None:
    if current is None:
        return
    number, sub, headings = current
    paragraphs = tuple(Paragraph(text=p[0], items=tuple(p[1:])) for p in paras)
    doc.articles.append(
        ParsedArticle(
            number=number, sub=sub, label=article_label(number, sub), headings=headings, paragraphs=paragraphs
        )
    )


def parse_body(body: str) -> ParsedDocument:
    """Split a document body (the part after `<!-- INFO END -->`) into headings and articles."""
    doc = ParsedDocument()
    stack: list[tuple[int, str]] = []
    current: tuple[int, int, tuple[str, ...]] | None = None
    paras: list[list[str]] = []
    last: tuple[int, int] = (0, 0)
    seen: set[tuple[int, int]] = set()
    for line in _lines(body):
        if not line or line.startswith("<!--"):
            continue
        h = _HEADING.match(line)
        if h:
            level, text = len(h.group(1)), _SPACES.sub(" ", h.group(2)).strip()
            if not text:
                continue
            _flush(doc, current, paras)
            current, paras = None, []
            stack = [(lv, t) for lv, t in stack if lv < level]
            stack.append((level, text))
            doc.headings.append((level, text))
            continue
        m = _ARTICLE.match(line)
        if m:
            try:
                number = cn_to_int(m.group(1))
                sub = cn_to_int(m.group(3)) if m.group(3) else 0
            except ValueError:
                number, sub = -1, 0
            space_before, space_after, rest = m.group(2), m.group(4), m.group(5)
            key = (number, sub)
            expected = key > last and (number == last[0] + 1 or (number == last[0] and sub) or not last[0])
            # A paragraph may itself start with "第四十条规定的…": only take the line as a new
            # article when it has the article shape (space after 条, or the known 第X 条 defect)
            # or it is the number we expect next.
            if number > 0 and (space_after or space_before or not rest or expected) and key not in seen:
                if key < last:
                    doc.problems.append(f"{article_label(number, sub)} 出现在 {article_label(*last)} 之后")
                elif last[0] and (number > last[0] + 1 or (sub and number > last[0])):
                    # 第X条之一 right after a gap means 第X条 itself is missing too.
                    upto = number if sub else number - 1
                    doc.problems.append(
                        f"缺少 {article_label(last[0] + 1)}"
                        + (f"–{article_label(upto)}" if upto > last[0] + 1 else "")
                    )
                _flush(doc, current, paras)
                current = (number, sub, tuple(t for _, t in stack))
                paras = [[rest.strip()]] if rest.strip() else []
                last = max(last, key)
                seen.add(key)
                continue
            if key in seen and (space_after or space_before):
                doc.problems.append(f"重复的条文编号 {article_label(number, sub)}")
        item = _ITEM.match(line)
        if current is None:
            doc.preamble.append(line)
            continue
        if item:
            text = f"（{item.group(1)}）{item.group(2)}"
            if paras:
                paras[-1].append(text)
            else:
                paras.append(["", text])
        else:
            paras.append([line])
    _flush(doc, current, paras)
    if not doc.articles:
        doc.problems.append("未找到条文（按段落保存全文）")
    return doc


# ---------------------------------------------------------------------------------------------
# The bundle (data/laws.jsonl.gz) as plain records, and the checker's view of it.


def read_bundle(path: str | Path) -> list[dict]:
    """Records of the statute bundle written by scripts/bundle_laws.py."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def law_rank(repealed: bool, publish: str | None) -> int:
    """Who wins an alias two laws share: a law in force over a repealed one, then the newer."""
    return (0 if repealed else 10**8) + int((publish or "0").replace("-", "")[:8] or 0)


def law_infos(records: list[dict]) -> list[LawInfo]:
    """One LawInfo per law name: the articles of the current version (parsing each body)."""
    by_name: dict[str, list[dict]] = {}
    for rec in records:
        by_name.setdefault(rec["name"], []).append(rec)
    infos = []
    for name, versions in by_name.items():
        current = next((v for v in versions if v.get("is_current")), None)
        latest = current or max(versions, key=lambda v: v.get("publish") or "")
        repealed = current is None
        articles: frozenset[tuple[int, int]] = frozenset()
        if latest.get("body"):
            articles = frozenset((a.number, a.sub) for a in parse_body(latest["body"]).articles)
        infos.append(
            LawInfo(
                key=name,
                title=latest.get("title") or name,
                articles=articles,
                repealed=repealed,
                repealed_on=latest.get("repealed_on"),
                repealed_by=latest.get("repealed_by"),
                successor=latest.get("successor") if repealed else None,
                rank=law_rank(repealed, latest.get("publish")),
            )
        )
    return infos
