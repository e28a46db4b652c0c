"""Find statute citations in Chinese text and check them against the statute library.

Pure (no Django). The library is passed in as a `LawTable` (law names, aliases, article numbers),
built by `statutes.services` from the database or by tests from a few hand-written laws, so the
parser itself never touches storage.

Forms understood: 《全称》/《简称》第X条 and unbracketed 民法典第X条; Chinese numerals (with 零/〇/两),
Arabic and full-width digits, spaces inside (第 1079 条); lists (、 和 及 以及 与 或) including items
without 第 (第五百七十七条、五百八十四条); ranges (第二十二条至第二十四条, 第二十二至二十四条);
第X条之一; 第X条第一款第（二）项; anaphora (该法 本法 同法 上述法律 …) to the last law named, and 本法
inside a quotation to the quoted law; judicial interpretations by full title or common short name.
A bare 第X条 belongs to the last law named unless a non-law noun stands right before it
(合同第五条约定…), and nothing is a citation when no law is in scope.

>>> table = LawTable.build([LawInfo(key="民法典", title="中华人民共和国民法典", articles=frozenset({(1079, 0)}))])
>>> [(c.law, c.article, c.raw) for c in find_citations("依据《民法典》第1079条、第1080条", table)]
[('民法典', 1079, '第1079条'), ('民法典', 1080, '第1080条')]
>>> [r.status for r in check_text("民法典第一千零七十九条和第一千三百条", table)]
['ok', 'not_found']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lawqa.common.numerals import cn_to_int

OK, REPEALED, NOT_FOUND, UNKNOWN_LAW = "ok", "repealed", "not_found", "unknown_law"
STATUS_LABELS = {OK: "有效", REPEALED: "已废止", NOT_FOUND: "条文不存在", UNKNOWN_LAW: "未收录的法律"}

_CN = "零〇一二三四五六七八九两十百千"

# Same-length substitutions so that offsets in the folded text are offsets in the original.
_FOLD_PAIRS = tuple(zip("０１２３４５６７８９（）〈〉＜＞［］　", "0123456789()<><>[] ", strict=True))
_FOLD = str.maketrans(dict(_FOLD_PAIRS))


def _fold(text: str) -> str:
    # str.replace per character is several times faster than str.translate on long texts.
    for a, b in _FOLD_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


# Short names people write for laws; the table adds every law's own name and full title.
ABBREVIATIONS: dict[str, str] = {
    "个保法": "个人信息保护法",
    "个人信息法": "个人信息保护法",
    "民诉法": "民事诉讼法",
    "民诉": "民事诉讼法",
    "刑诉法": "刑事诉讼法",
    "刑诉": "刑事诉讼法",
    "行诉法": "行政诉讼法",
    "行诉": "行政诉讼法",
    "消法": "消费者权益保护法",
    "消保法": "消费者权益保护法",
    "消费者保护法": "消费者权益保护法",
    "道交法": "道路交通安全法",
    "道路交通法": "道路交通安全法",
    "交通安全法": "道路交通安全法",
    "道交法实施条例": "道路交通安全法实施条例",
    "治安处罚法": "治安管理处罚法",
    "治安法": "治安管理处罚法",
    "未保法": "未成年人保护法",
    "妇女法": "妇女权益保障法",
    "妇保法": "妇女权益保障法",
    "老年人法": "老年人权益保障法",
    "食安法": "食品安全法",
    "环保法": "环境保护法",
    "网安法": "网络安全法",
    "数安法": "数据安全法",
    "反不当竞争法": "反不正当竞争法",
    "工伤条例": "工伤保险条例",
    "交强险条例": "机动车交通事故责任强制保险条例",
    "社保法": "社会保险法",
    "国赔法": "国家赔偿法",
    "劳动仲裁法": "劳动争议调解仲裁法",
    "土地承包法": "农村土地承包法",
    "房地产管理法": "城市房地产管理法",
    "劳动合同法条例": "劳动合同法实施条例",
    "建工解释(一)": "最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释(一)",
    "新民间借贷司法解释": "最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
    "新担保司法解释": "最高人民法院关于适用民法典有关担保制度的解释",
    "担保制度解释": "最高人民法院关于适用民法典有关担保制度的解释",
    "担保解释": "最高人民法院关于适用民法典有关担保制度的解释",
    "民法典担保解释": "最高人民法院关于适用民法典有关担保制度的解释",
    "民法典担保制度解释": "最高人民法院关于适用民法典有关担保制度的解释",
    "民法典担保制度司法解释": "最高人民法院关于适用民法典有关担保制度的解释",
    "精神损害赔偿解释": "最高人民法院关于确定民事侵权精神损害赔偿责任若干问题的解释",
    "精神损害赔偿司法解释": "最高人民法院关于确定民事侵权精神损害赔偿责任若干问题的解释",
    "人身损害赔偿解释": "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释",
    "人身损害赔偿司法解释": "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释",
    "民诉法解释": "最高人民法院关于适用民事诉讼法的解释",
    "民诉解释": "最高人民法院关于适用民事诉讼法的解释",
    "民诉法司法解释": "最高人民法院关于适用民事诉讼法的解释",
    "民事诉讼法司法解释": "最高人民法院关于适用民事诉讼法的解释",
    "刑诉法解释": "最高人民法院关于适用刑事诉讼法的解释",
    "刑诉解释": "最高人民法院关于适用刑事诉讼法的解释",
    "行诉法解释": "最高人民法院关于适用行政诉讼法的解释",
    "证据规定": "最高人民法院关于民事诉讼证据的若干规定",
    "民事证据规定": "最高人民法院关于民事诉讼证据的若干规定",
}

_ISSUERS = re.compile(
    r"^(?:最高人民法院|最高人民检察院|最高法院?|最高检)(?:[、和与及,]?(?:最高人民检察院|最高人民法院))?"
)
_VERSION = re.compile(r"\((?:\d{4}年?[^()]{0,6}|[^()]{0,4}\d{4}[^()]{0,6})\)$")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,60}>")
_STRIP = re.compile(r"[《》<>\s\"“”'‘’]")


def normalize_name(name: str) -> str:
    """The form names are compared in: no brackets or spaces, ASCII parentheses, no
    中华人民共和国, no trailing version like （2018年修正）.

    >>> normalize_name("《中华人民共和国民法典》")
    '民法典'
    >>> normalize_name("最高人民法院关于适用〈中华人民共和国民法典〉有关担保制度的解释（2020年）")
    '最高人民法院关于适用民法典有关担保制度的解释'
    """
    name = _TAG.sub("", _fold(name).replace("&lt;", "").replace("&gt;", ""))
    name = _STRIP.sub("", name).replace("中华人民共和国", "")
    return _VERSION.sub("", name)


_JI_TOPIC = re.compile(
    r"^关于(?P<verb>审理|办理|适用|执行|处理|确定|认定)?(?P<topic>.+?)"
    r"(?P<dispute>纠纷)?(?:民事|刑事|行政)?(?:案件)?(?:中)?(?:具体)?(?:适用|应用)?(?:法律)?(?:若干|几个)?(?:问题)?的?"
    r"(?P<kind>解释|规定|批复|意见|解答)(?P<num>\([一二三四五六七八九十]+\))?$"
)


def generated_aliases(name: str) -> set[str]:
    """Normalised names a law is also cited by, derived from its own name.

    >>> sorted(a for a in generated_aliases("最高人民法院关于适用《婚姻法》若干问题的解释（二）") if len(a) <= 10)
    ['婚姻法司法解释(二)', '婚姻法司法解释二', '婚姻法解释(二)', '婚姻法解释二']
    """
    norm = normalize_name(name)
    out = {norm}
    core = _ISSUERS.sub("", norm)
    if core != norm and core.startswith("关于"):
        out.add(core)
        out.add(core.removeprefix("关于"))
        m = _JI_TOPIC.match(core)
        if m:
            topic, kind, num = m.group("topic"), m.group("kind"), m.group("num") or ""
            if m.group("verb"):
                out.add("关于" + core.removeprefix("关于" + m.group("verb")))
            topics = {topic}
            if m.group("dispute"):
                topics.add(topic + "纠纷")
            if "有关" in topic:
                topics.add(topic.split("有关", 1)[1])
            if topic.startswith("民法典") and len(topic) > 3:
                topics.add(topic.removeprefix("民法典"))
            suffixes = {kind, "司法解释"} | ({"解释"} if kind == "规定" else set())
            for t in topics:
                if len(t) < 2:
                    continue
                for s in suffixes:
                    out.add(t + s + num)
                    if num:
                        out.add(t + s + num[1:-1])
                    if num == "(一)":
                        out.add(t + s)
    return out


@dataclass(frozen=True)
class LawInfo:
    """A law as the checker sees it: its key, names, status and the articles of its current version."""

    key: str
    title: str = ""
    articles: frozenset[tuple[int, int]] = frozenset()
    repealed: bool = False
    repealed_on: str | None = None
    repealed_by: str | None = None
    successor: str | None = None
    aliases: tuple[str, ...] = ()
    rank: int = 0  # higher wins when two laws claim one alias (current over expired, newer over older)


@dataclass
class LawTable:
    """Law names → laws. Build once from the library (`LawTable.build`) and reuse: it is read-only."""

    laws: dict[str, LawInfo]
    aliases: dict[str, str]
    _by_last: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _terminal: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, laws: Iterable[LawInfo], abbreviations: dict[str, str] | None = None) -> LawTable:
        laws = list(laws)
        claims: dict[str, tuple[int, int, str]] = {}

        def claim(alias: str, info: LawInfo, strength: int) -> None:
            if len(alias) < 2:
                return
            score = (strength, info.rank, info.key)
            if alias not in claims or score[:2] > claims[alias][:2]:
                claims[alias] = score

        for info in laws:
            claim(normalize_name(info.key), info, 3)
            claim(normalize_name(info.title or info.key), info, 3)
            for a in info.aliases:
                claim(normalize_name(a), info, 2)
            for a in generated_aliases(info.key) | generated_aliases(info.title or info.key):
                claim(a, info, 1)
        aliases = {a: key for a, (_, _, key) in claims.items()}
        for short, target in (ABBREVIATIONS if abbreviations is None else abbreviations).items():
            key = aliases.get(normalize_name(target))
            if key and short not in aliases:
                aliases[normalize_name(short)] = key
        table = cls(laws={i.key: i for i in laws}, aliases=aliases)
        table._index()
        return table

    def _index(self) -> None:
        # Aliases by their last two characters → lengths to try, longest first; the regex finds
        # the candidate end characters so that plain prose is skipped at C speed.
        by_last: dict[str, set[int]] = {}
        for a in self.aliases:
            if len(a) >= 4:
                by_last.setdefault(a[-4:], set()).add(len(a))
        self._by_last = {k: tuple(sorted(ls, reverse=True)) for k, ls in by_last.items()}
        chars = "".join(sorted({a[-1] for a in self.aliases}))
        self._terminal = re.compile("[" + re.escape(chars) + "]") if chars else None

    def lookup(self, name: str) -> str | None:
        """The key of the law `name` refers to, or None.

        Tries the name as written, then without the issuing court, then with 最高人民法院 added.
        """
        norm = normalize_name(name)
        for cand in (norm, _ISSUERS.sub("", norm), "最高人民法院" + norm):
            if cand in self.aliases:
                return self.aliases[cand]
        return None


@dataclass(frozen=True)
class Citation:
    """One cited article: law (key, or the name as written when unknown), 第article条之sub, 款, 项."""

    law: str
    known: bool
    article: int
    sub: int
    paragraph: int | None
    item: int | None
    span: tuple[int, int]
    raw: str
    law_text: str = ""
    implied: bool = False  # inside a range (第一条至第三条 → 第二条), not written out


@dataclass(frozen=True)
class CheckedCitation:
    """A citation with its status against the library and a short explanation for readers."""

    citation: Citation
    status: str
    law: LawInfo | None
    note: str

    @property
    def ok(self) -> bool:
        return self.status == OK


# ---------------------------------------------------------------------------------------------
# Scanning

_NUM = rf"(?:[{_CN}]+|[0-9]+)"
_RANGE_SEP = r"(?:至|到|~|～|—|－|-)"
_REF = re.compile(
    rf"(?P<di>第\s*)?(?P<num>{_NUM})(?P<more>(?:\s*[、,，和及]\s*(?:第\s*)?{_NUM})*)\s*"
    rf"(?:{_RANGE_SEP}\s*(?:第\s*)?(?P<to>{_NUM})\s*)?条(?![路街线河巷腿鱼狗船裙裤命短微信消])"
    rf"(?:\s*之\s*(?P<sub>[一二三四五六七八九十]+))?"
    rf"(?:\s*第\s*(?P<para>{_NUM})\s*款)?"
    rf"(?:\s*第\s*\(?\s*(?P<item>{_NUM})\s*\)?\s*项)?"
)
_LIST_SEP = re.compile(rf"\s*(?:以及|或者|、|，|,|和|及|与|或|{_RANGE_SEP})\s*")
_DI = re.compile(r"第")
_GAP = re.compile(
    rf"(?:\s|的|中|之|[”」\"]|<[^<>]{{0,60}}>|\([^()]{{0,30}}\)|第[{_CN}0-9]+(?:分编|编|章|节)|"
    r"(?:总则|物权|合同|人格权|婚姻家庭|继承|侵权责任)编(?:通则|总则)?|附则|新增|修订后的?|修正后的?)*"
)
_ANGLE_TITLE = re.compile(r"<{1,2}[\u4e00-\u9fff][^<>\n]{1,60}>{1,2}")
_ANAPHOR = re.compile(
    r"(?P<pre>.?)(?P<word>(?:本|该|同|此|上述|前述|上列|前列|这部)"
    r"(?:法律|法典|法|条例|司法解释|解释|规定|办法|细则|决定|规则|意见))\s*(?:的|中)?\s*$"
)
_LAWLIKE = re.compile(
    r"(?:法|法典|条例|规定|解释|办法|细则|规则|决定|意见|通知|批复|复函|答复|纪要|公约|标准|修正案|章程|规范|准则)"
    r"(?:\([^()]*\))?$"
)
_NOT_LAW = re.compile(r"(?:合同|协议|章程|协议书|合同书)$")
_OPEN_PUNCT = set("，。；：、！？,.;:!?()[]【】“”‘’\"'「」『』—-…·>》\n\t ")
# Words (by last character) after which a bare 第X条 still belongs to the law in scope.
_CONNECTIVE_LAST = set(
    "据照依按及和与或至见即中是了在且而并但增由反合属于含有如以就时外再对从因为还也又都均述用引参查看括应守行"
)
_AFTER_ALIAS_BAD = set("律院官规庭学人系理")
_LOCAL = set("省市区县州旗盟")


def cn_int(s: str) -> int:
    """A numeral as written in 第X条 (Chinese, Arabic or digit by digit) → int.

    >>> [cn_int(x) for x in ("一千零三十八", "十", "1079", "一〇七九")]
    [1038, 10, 1079, 1079]
    """
    return cn_to_int(s)


@dataclass
class _Mention:
    start: int
    end: int
    attach: int  # where a directly attached 第X条 may start
    law: str | None  # key, or normalised name when unknown; None for a non-law title
    known: bool
    text: str


def _brackets(t: str) -> list[tuple[int, int]]:
    """Outermost 《…》 spans (nesting allowed), as (start, end) with end after 》."""
    spans, depth, start = [], 0, 0
    for m in re.finditer("[《》]", t):
        if m.group() == "《":
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, m.end()))
    # Title marks typed as <<民法典>> or 〈民法典〉 (folded to <…>): CJK right after the bracket,
    # which tells them from HTML tags.
    for m in _ANGLE_TITLE.finditer(t):
        if not _inside(m.start(), spans):
            spans.append(m.span())
    spans.sort()
    return spans


def _alias_mentions(t: str, table: LawTable, blocked: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    if table._terminal is None:
        return []
    found: list[tuple[int, int, str]] = []
    by_last = table._by_last
    for m in table._terminal.finditer(t):
        end = m.end()
        for length in (*by_last.get(t[end - 4 : end], ()), 3, 2):
            start = end - length
            if start < 0:
                continue
            key = table.aliases.get(t[start:end])
            if key is not None:
                found.append((start, end, key))
                break
    found.sort(key=lambda x: (x[0], -x[1]))
    out: list[tuple[int, int, str]] = []
    bi = 0
    for start, end, key in found:
        if out and start < out[-1][1]:
            continue
        while bi < len(blocked) and blocked[bi][1] <= start:
            bi += 1
        if bi < len(blocked) and blocked[bi][0] < end:
            continue
        if end < len(t) and t[end] in _AFTER_ALIAS_BAD:
            continue
        if start and t[start - 1] in _LOCAL:  # 上海市物业管理条例 is not the national 物业管理条例
            continue
        if t[max(0, start - 7) : start] == "中华人民共和国":
            start -= 7
        out.append((start, end, key))
    return out


def _mentions(t: str, table: LawTable) -> tuple[list[_Mention], list[tuple[int, int]]]:
    brackets = _brackets(t)
    mentions = []
    for start, end in brackets:
        inner = t[start + 1 : end - 1]
        key = table.lookup(inner)
        norm = normalize_name(inner)
        if key is None and (not _LAWLIKE.search(norm) or _NOT_LAW.search(norm) or len(norm) < 2):
            law, known = None, False
        else:
            law, known = (key, True) if key else (norm, False)
        # A court named just before 《关于…》 is part of the title.
        if key is None and law is not None:
            pre = re.search(
                r"(?:最高人民法院|最高人民检察院)[、和与]?(?:最高人民检察院)?\s*$",
                t[max(0, start - 16) : start],
            )
            if pre:
                full = table.lookup(pre.group().strip() + inner)
                if full:
                    law, known = full, True
        attach = _GAP.match(t, end).end()
        mentions.append(_Mention(start, end, attach, law, known, t[start:end]))
    for start, end, key in _alias_mentions(t, table, brackets):
        mentions.append(_Mention(start, end, _GAP.match(t, end).end(), key, True, t[start:end]))
    mentions.sort(key=lambda m: m.start)
    return mentions, brackets


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(spans) and spans[lo][0] <= pos


def _chain(t: str, pos: int, need_di: bool) -> tuple[list[tuple[re.Match[str], bool]], int]:
    """Article refs starting at `pos`: [(match, is_range_end)], and the end of the chain."""
    m = _REF.match(t, pos)
    if not m or (need_di and not m.group("di")):
        return [], pos
    refs = [(m, False)]
    end = m.end()
    while True:
        sep = _LIST_SEP.match(t, end)
        if not sep:
            break
        nxt = _REF.match(t, sep.end())
        if not nxt:
            break
        is_range = bool(re.fullmatch(rf"\s*{_RANGE_SEP}\s*", sep.group()))
        refs.append((nxt, is_range))
        end = nxt.end()
    return refs, end


def _bare_allowed(t: str, pos: int) -> bool:
    """May a bare 第X条 at `pos` take the law in scope? Not after a noun like 合同 / 协议."""
    i = pos
    while i > 0:
        ch = t[i - 1]
        if ch.isspace():
            i -= 1
            continue
        if ch == ">":  # skip an HTML tag
            j = t.rfind("<", 0, i - 1)
            if j >= 0 and i - j < 80:
                i = j
                continue
        break
    if i == 0:
        return True
    ch = t[i - 1]
    if ch in _OPEN_PUNCT or ch.isascii():
        return True
    return ch in _CONNECTIVE_LAST


def _name_before(t: str, pos: int, table: LawTable) -> tuple[str, bool, str] | None:
    """A law named (unbracketed, perhaps with 《》 inside) right before `pos`, e.g.
    关于适用《中华人民共和国民法典》有关担保制度的解释第62条."""
    window = t[max(0, pos - 80) : pos]
    cut = max(window.rfind(ch) for ch in "，。；：！？\n,;:!?")
    window = window[cut + 1 :]
    norm = normalize_name(window)
    for k in range(len(norm) - 1):
        key = table.aliases.get(norm[k:])
        if key is not None:
            if k and norm[k - 1] in _LOCAL:
                return None
            return key, True, window
    return None


def find_citations(text: str, table: LawTable) -> list[Citation]:
    """Every article citation in `text`, in order. Never raises on any string."""
    t = _fold(text)
    mentions, brackets = _mentions(t, table)
    by_attach = {m.attach: m for m in mentions if m.law is not None}
    quotes = [(q.start(), q.group()) for q in re.finditer("[“”「」]", t)]
    events: list[tuple[int, int, object]] = [(m.start, 0, m) for m in mentions]
    events += [(p, 1, q) for p, q in quotes if not _inside(p, brackets)]
    events += [(d.start(), 2, None) for d in _DI.finditer(t) if not _inside(d.start(), brackets)]
    events += [
        (m.attach, 2, m) for m in mentions if m.law is not None and m.attach < len(t) and t[m.attach] != "第"
    ]
    events.sort(key=lambda e: (e[0], e[1]))

    out: list[Citation] = []
    scope: tuple[str, bool, str] | None = None  # (law, known, text) that bare refs take
    last_law: tuple[str, bool, str] | None = None  # for anaphora: the last real law named
    quote_laws: list[tuple[str, bool, str] | None] = []
    consumed = 0
    for pos, kind, obj in events:
        if pos < consumed:
            continue
        if kind == 0:
            assert isinstance(obj, _Mention)
            scope = (obj.law, obj.known, obj.text) if obj.law is not None else None
            if obj.law is not None:
                last_law = scope
            continue
        if kind == 1:
            if obj in ("“", "「"):
                quote_laws.append(scope or last_law)
            elif quote_laws:
                # After a quotation, bare refs go back to the law that was being quoted.
                quoted = quote_laws.pop()
                if quoted is not None:
                    scope = last_law = quoted
            continue
        attached = by_attach.get(pos)
        refs, end = _chain(t, pos, need_di=attached is None or t[pos] == "第")
        if not refs:
            continue
        law: tuple[str, bool, str] | None
        if attached is not None:
            law = (attached.law, attached.known, attached.text)  # type: ignore[assignment]
        else:
            ana = _ANAPHOR.search(t, max(0, pos - 10), pos)
            if ana and ana.group("pre") not in ("基", "根", "日", "资", "原"):
                word = ana.group("word")
                if word.startswith("本") and quote_laws and quote_laws[-1] is not None:
                    law = quote_laws[-1]
                else:
                    law = last_law
                law = (law[0], law[1], word) if law else None
            elif _bare_allowed(t, pos):
                law = scope
            elif (named := _name_before(t, pos, table)) is not None:
                law = named
            else:
                scope = None
                consumed = end
                continue
        consumed = end
        if law is None:
            continue
        name, known, law_text = law
        prev_num, prev_start = None, pos
        for m, is_range_end in refs:
            try:
                num = cn_int(m.group("num"))
                sub = cn_int(m.group("sub")) if m.group("sub") else 0
                to = cn_int(m.group("to")) if m.group("to") else None
                para = cn_int(m.group("para")) if m.group("para") else None
                item = cn_int(m.group("item")) if m.group("item") else None
            except (KeyError, ValueError):  # pragma: no cover - the regex only admits numerals
                continue
            if num <= 0 or num > 100000:
                continue
            span = (m.start("di") if m.group("di") else m.start("num"), m.end())
            raw = text[span[0] : span[1]]
            if is_range_end and prev_num is not None and prev_num < num <= prev_num + 200:
                whole = (prev_start, span[1])
                for n in range(prev_num + 1, num):
                    out.append(
                        Citation(
                            name, known, n, 0, None, None, whole, text[whole[0] : whole[1]], law_text, True
                        )
                    )
            out.append(Citation(name, known, num, sub, para, item, span, raw, law_text))
            for extra in re.findall(_NUM, m.group("more") or ""):
                out.append(Citation(name, known, cn_int(extra), 0, None, None, span, raw, law_text, True))
            if to is not None and num < to <= num + 200:
                for n in range(num + 1, to + 1):
                    out.append(Citation(name, known, n, 0, None, None, span, raw, law_text, implied=n != to))
            prev_num, prev_start = (to if to is not None else num), span[0]
    return out


def _cn_date(iso: str) -> str:
    """An ISO date as written in Chinese.

    >>> _cn_date("2021-01-01")
    '2021年1月1日'
    """
    try:
        y, m, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return iso
    return f"{y}年{m}月{d}日"


def _note(status: str, law: LawInfo | None, c: Citation) -> str:
    if status == OK:
        return ""
    if status == UNKNOWN_LAW:
        return f"本站法规库未收录《{c.law}》，请核对法律名称。"
    assert law is not None
    if status == REPEALED:
        when = f"已于{_cn_date(law.repealed_on)}废止" if law.repealed_on else "已废止"
        by = f"（{law.repealed_by}）" if law.repealed_by else ""
        succ = f"，相关规定现见《{law.successor}》" if law.successor and law.successor != law.key else ""
        return f"《{law.title or law.key}》{when}{by}{succ}。"
    label = f"第{c.article}条" + (f"之{c.sub}" if c.sub else "")
    return f"《{law.title or law.key}》现行文本中没有{label}，请核对条号。"


def check(citations: Iterable[Citation], table: LawTable) -> list[CheckedCitation]:
    """Give each citation its status: ok, repealed, not_found or unknown_law."""
    out = []
    for c in citations:
        law = table.laws.get(c.law) if c.known else None
        if law is None:
            status = UNKNOWN_LAW
        elif law.repealed:
            status = REPEALED
        elif (c.article, c.sub) in law.articles:
            status = OK
        else:
            status = NOT_FOUND
        out.append(CheckedCitation(citation=c, status=status, law=law, note=_note(status, law, c)))
    return out


def check_text(text: str, table: LawTable) -> list[CheckedCitation]:
    """`find_citations` then `check`."""
    return check(find_citations(text, table), table)
