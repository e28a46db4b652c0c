"""Find and mask personal data in Chinese free text before it is made public.

Pure module: no Django, fully typed, deterministic. `mask_text(text)` finds mainland mobile and
landline numbers, resident ID numbers (birth date and region checked with python-stdnum),
bank card numbers (16-19 digits passing Luhn, or named as a card / account number), e-mail
addresses, QQ and WeChat IDs when named as such, car plates (new-energy too) and street
addresses down to the door number, and replaces the identifying part with ``*`` following the usual convention (138****8000, 110105********002X).

Masking is length-preserving, so every finding's span is valid in the original text and in the
masked text alike. It is idempotent: masking masked text changes nothing.

Numbers that merely look like personal data are left alone: money (20000元, ¥13800000000),
percentages, dates, durations, article numbers (第1165条), case numbers
((2023)京0105民初12345号) and numbers labelled as order / serial / licence numbers.

>>> r = mask_text("电话13812348000，身份证11010519491231002X")
>>> r.text
'电话138****8000，身份证110105********002X'
>>> [(f.kind, f.span, f.label) for f in r.findings]
[('mobile', (2, 13), '手机号'), ('id_number', (17, 35), '身份证号')]
>>> mask_text(r.text).text == r.text
True
>>> mask_text("依据《民法典》第1165条，赔偿36000元，案号(2022)沪0115民初88888号").findings
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from stdnum import luhn
from stdnum.cn import ric

__all__ = ["KIND_LABELS", "KIND_REASONS", "Finding", "MaskResult", "mask_text"]

MASK = "*"

KIND_LABELS: dict[str, str] = {
    "mobile": "手机号",
    "landline": "固定电话",
    "id_number": "身份证号",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "qq": "QQ号",
    "wechat": "微信号",
    "plate": "车牌号",
    "address": "详细地址",
}

# Why each kind is masked, shown to the author in the masking preview.
KIND_REASONS: dict[str, str] = {
    "mobile": "手机号只显示前3位和后4位，防止被陌生人拨打、骚扰或诈骗",
    "landline": "固定电话只保留区号和后4位",
    "id_number": "身份证号隐去出生日期，只保留前6位和后4位，防止被冒用",
    "bank_card": "银行卡号只保留前4位和后4位，防止被盗刷或冒用",
    "email": "邮箱地址只保留首字母和域名，防止垃圾邮件和骚扰",
    "qq": "QQ号只保留首尾数字，防止被陌生人添加",
    "wechat": "微信号只保留首尾字符，防止被陌生人添加",
    "plate": "车牌号隐去中间几位，避免车辆和车主被认出",
    "address": "门牌号、楼栋和房间号已隐去，只保留到街道或小区",
}

# Resolution order when two findings overlap and have the same length.
_PRIORITY = {kind: n for n, kind in enumerate(KIND_LABELS)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data found in a text.

    `span` is (start, end) in the original text; masking preserves length, so it is the same in
    the masked text, where `masked` is what now stands there.
    """

    kind: str
    span: tuple[int, int]
    masked: str

    @property
    def label(self) -> str:
        """Chinese name of the kind, e.g. 手机号."""
        return KIND_LABELS[self.kind]

    @property
    def reason(self) -> str:
        """One Chinese sentence saying why and how it was masked."""
        return KIND_REASONS[self.kind]

    @property
    def original_len(self) -> int:
        return self.span[1] - self.span[0]


@dataclass(frozen=True, slots=True)
class MaskResult:
    """The masked text and what was found in it."""

    text: str
    findings: list[Finding]

    @property
    def changed(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: str
    start: int
    end: int
    hide: tuple[int, ...]  # absolute positions replaced by MASK


# --- normalisation --------------------------------------------------------------------------
# One character in, one character out, so positions in the scan view are positions in the text.
_NORMALISE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_NORMALISE.update({ord(c): " " for c in "\t\u00a0\u2002\u2003\u2009\u200b\u3000"})
_NORMALISE.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})


def _scan_view(text: str) -> str:
    return text.translate(_NORMALISE)


# --- guards against near-misses -------------------------------------------------------------
_MONEY_AFTER = re.compile(r"\s?(?:元|块|角|万|亿|千|百|美元|美金|港币|欧元|%|‰|人民币|RMB|rmb)")
_MONEY_BEFORE = re.compile(r"(?:¥|￥|\$|RMB|rmb|人民币|第)\s?$")
# Numbers labelled as something other than personal contact / identity data.
_LABELLED_OTHER = re.compile(
    r"(?:订单|单号|编号|流水|交易号|案号|合同号|序列号|序号|发票|运单|快递|工号|学号|证号|证书号|"
    r"批号|货号|型号|代码|税号|账单号|凭证号|回执号|票号|登记号|备案号|专利号|商品号|"
    r"车架号|发动机号|识别号|执照号|NO\.?|No\.?|no\.)"
    r"(?:号码|号|码|编号|ID|id)?\s?[:#]?\s?(?:是|为)?\s?[:]?\s?$"
)


def _guarded(view: str, start: int, end: int, kind: str) -> bool:
    """True when the number at view[start:end] is money, an ordinal or a labelled non-personal number."""
    if _MONEY_AFTER.match(view, end):
        return True
    before = view[max(0, start - 14) : start]
    if _MONEY_BEFORE.search(before):
        return True
    if kind == "id_number":
        # A number passing the ID checks is an ID whatever it is called: 驾驶证号 and 社保号 are the
        # holder's ID number.
        return False
    label = _LABELLED_OTHER.search(before)
    if label is None:
        return False
    # 身份证号 / 身份证编号 / 银行卡号 name personal data even though they end like 证号 / 编号.
    return not re.search(r"(?:身份|身份证|银行卡|卡)$", before[: label.start()])


# --- numbers written as digit groups --------------------------------------------------------
_GROUP = re.compile(r"[0-9]+(?:[Xx](?![A-Za-z0-9]))?")


@dataclass(frozen=True, slots=True)
class _Group:
    start: int
    end: int
    chars: str


def _digit_runs(view: str) -> Iterator[list[_Group]]:
    """Maximal runs of digit groups joined by single spaces or dashes (138 1234 5678)."""
    run: list[_Group] = []
    for m in _GROUP.finditer(view):
        group = _Group(m.start(), m.end(), m.group().upper())
        gap = view[run[-1].end : m.start()] if run else ""
        if (
            run
            and not run[-1].chars.endswith("X")
            and (
                gap in (" ", "-")
                # (010)12345678, (0755) 8345 6789: a bracketed area code opens the run.
                or (
                    gap in (")", ") ", ")-")
                    and len(run) == 1
                    and view[run[0].start - 1 : run[0].start] == "("
                )
            )
        ):
            run.append(group)
        else:
            if run:
                yield run
            run = [group]
    if run:
        yield run


def _boundaries(groups: list[_Group]) -> set[int]:
    """Digit offsets where a separator sits inside the number."""
    offsets, total = set(), 0
    for g in groups[:-1]:
        total += len(g.chars)
        offsets.add(total)
    return offsets


@lru_cache(maxsize=4096)
def _known_county(code: str) -> bool:
    """True when the 6-digit code is a county (区/县) python-stdnum knows, for any period."""
    from stdnum import numdb

    try:
        info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    except Exception:  # noqa: BLE001 - stdnum raises assorted errors on odd input
        return False
    return "province" in info and "county" in info


@lru_cache(maxsize=4096)
def _valid_ric(number: str) -> bool:
    """18-character resident ID: birth date and region (python-stdnum).

    The region must be a county code stdnum knows for any period: an ID keeps the code in force
    when it was issued, which may postdate the birth year stdnum's own era check assumes (a
    440306 宝安区 ID of someone born in 1990 is real, `ric.is_valid` rejects it). The check digit
    is not required: a mistyped ID still names a person, while a county code followed by a real
    birth date is no accident in an order or serial number.
    """
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        if not 1900 <= ric.get_birth_date(number).year <= 2099:
            return False
    except Exception:  # noqa: BLE001 - stdnum raises assorted errors on odd input; not an ID then
        return False
    # 830000 opens the residence permits of Taiwan residents (港澳台居民居住证), same format.
    return _known_county(number[:6]) or number.startswith("830000")


def _classify(digits: str, cuts: set[int]) -> list[tuple[str, range]]:
    """Kinds `digits` (separators removed) can be, each with the digit offsets to hide."""
    out: list[tuple[str, range]] = []
    n = len(digits)
    if n == 18 and _valid_ric(digits):
        out.append(("id_number", range(6, 14)))
    if not digits.isdigit():
        return out
    if 16 <= n <= 19 and digits[0] in "3456789" and all(c % 4 == 0 for c in cuts) and luhn.is_valid(digits):
        out.append(("bank_card", range(4, n - 4)))
    for prefix in ("", "86", "0086"):
        p = len(prefix)
        if (
            n == 11 + p
            and digits.startswith(prefix)
            and re.fullmatch(r"1[3-9][0-9]{9}", digits[p:])
            and cuts <= {p, p + 3, p + 7}
        ):
            out.append(("mobile", range(p + 3, p + 7)))
    if digits.startswith("0") and n >= 10:
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        if (
            (area == 4 or digits[:3] == "010" or digits[1] == "2")
            and digits[1] != "0"
            and len(local) in (7, 8)
            and local[0] != "0"
            and cuts <= {area, area + 3, area + 4}
        ):
            out.append(("landline", range(area, n - 4)))
    return out


def _number_candidates(view: str) -> Iterator[_Candidate]:
    for run in _digit_runs(view):
        for i in range(len(run)):
            length = 0
            # No kind is written in more than 6 groups (1101 0519 4912 3100 2X is 5) or 10-19 digits.
            for j in range(i, min(len(run), i + 6)):
                length += len(run[j].chars)
                if length > 19:
                    break
                if length < 10:
                    continue
                groups = run[i : j + 1]
                digits = "".join(g.chars for g in groups)
                positions = [pos for g in groups for pos in range(g.start, g.end)]
                for kind, hide in _classify(digits, _boundaries(groups)):
                    start, end = groups[0].start, groups[-1].end
                    if not _guarded(view, start, end, kind):
                        yield _Candidate(kind, start, end, tuple(positions[k] for k in hide))


# --- numbers named by a keyword -------------------------------------------------------------
_NAMED_TAIL = r"(?:号码|号|账号|帐号|\s?id|\s?ID)?\s?[:]?\s?(?:是|为)?\s?[:]?\s?"
_NAMED_LANDLINE = re.compile(
    r"(?:电话|座机|固话|联系方式|(?<![A-Za-z])tel)" + _NAMED_TAIL + r"(?P<v>[2-9][0-9]{6,7})(?![0-9])",
    re.IGNORECASE,
)
_QQ = re.compile(
    r"(?:(?<![A-Za-z])qq|扣扣)" + _NAMED_TAIL + r"(?P<v>[1-9][0-9]{4,11})(?![0-9])", re.IGNORECASE
)
_WECHAT = re.compile(
    r"(?:微信号?|薇信|威信|(?<![A-Za-z])(?:wechat|weixin|vx|wx|v信)(?![A-Za-z]))"
    + _NAMED_TAIL
    + r"(?P<v>[A-Za-z][-_A-Za-z0-9]{5,19}|[1-9][0-9]{4,11})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
# A card or account number the text names as one: the check digit is not required (a typo, or a
# number made up for the example, still points at someone's account).
_NAMED_CARD = re.compile(
    r"(?:银行卡|储蓄卡|借记卡|信用卡|工资卡|社保卡|银行账户|银行帐户|卡号|(?<![订单账帐])账号|(?<![订单账帐])帐号|"
    r"(?<![打刷])卡)" + _NAMED_TAIL + r"(?P<v>[1-9][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9])"
)
_WXID = re.compile(r"(?<![A-Za-z0-9_])(?P<v>wxid_[A-Za-z0-9_-]{4,30})(?![-_A-Za-z0-9])")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<v>[A-Za-z0-9_][A-Za-z0-9._%+-]*)@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)


# First-generation 15-digit IDs (no checksum), only when named: region and YYMMDD birth date checked.
_NAMED_OLD_ID = re.compile(
    r"身份证(?:号码|号|编号)?\s?[:]?\s?(?:是|为)?\s?[:]?\s?(?P<v>[1-9][0-9]{14})(?![0-9])"
)


@lru_cache(maxsize=1024)
def _valid_old_ric(number: str) -> bool:
    from datetime import date

    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:  # not a date: not an ID
        return False
    return _known_county(number[:6])


def _keep_ends(start: int, end: int) -> tuple[int, ...]:
    """Hide the middle of a named ID, keeping 2 characters at each end (1 when short)."""
    keep = 2 if end - start >= 8 else 1
    return tuple(range(start + keep, end - keep))


def _named_candidates(view: str) -> Iterator[_Candidate]:
    for m in _NAMED_LANDLINE.finditer(view):
        s, e = m.span("v")
        if not _MONEY_AFTER.match(view, e):
            yield _Candidate("landline", s, e, tuple(range(s, e - 4)))
    for m in _NAMED_OLD_ID.finditer(view):
        s, e = m.span("v")
        if _valid_old_ric(m.group("v")):
            yield _Candidate("id_number", s, e, tuple(range(s + 6, s + 12)))
    for m in _NAMED_CARD.finditer(view):
        s, e = m.span("v")
        digits = [i for i in range(s, e) if view[i].isdigit()]
        if 16 <= len(digits) <= 19 and not _MONEY_AFTER.match(view, e):
            yield _Candidate("bank_card", s, e, tuple(digits[4:-4]))
    for m in _QQ.finditer(view):
        s, e = m.span("v")
        if not _MONEY_AFTER.match(view, e):
            yield _Candidate("qq", s, e, _keep_ends(s, e))
    for pattern in (_WECHAT, _WXID):
        for m in pattern.finditer(view):
            s, e = m.span("v")
            if not _MONEY_AFTER.match(view, e):
                yield _Candidate("wechat", s, e, _keep_ends(s, e))
    for m in _EMAIL.finditer(view):
        s, e = m.span("v")
        first = 1 if e - s >= 2 else 0
        yield _Candidate("email", m.start(), m.end(), tuple(range(s + first, e)))


# --- car plates -----------------------------------------------------------------------------
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"[{_PROVINCES}][A-Z][·•. -]?(?P<v>[A-HJ-NP-Z0-9]{{5,6}}|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳领])"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _plate_candidates(view: str) -> Iterator[_Candidate]:
    for m in _PLATE.finditer(view):
        serial = m.group("v").upper()
        digits = sum(c.isdigit() for c in serial)
        if len(serial) == 6 and serial[0] not in "DF" and serial[-1] not in "DF":
            continue  # six characters only on new-energy plates, which start or end with D / F
        if digits < 3:
            continue
        s, e = m.span("v")
        yield _Candidate("plate", m.start(), e, tuple(range(s, e - 2)))


# --- street addresses -----------------------------------------------------------------------
_UNIT = r"(?:号院|号楼|号|栋|幢|座|单元|层|楼|室|户|组|弄|巷|期)"
_UNIT_NUM = r"[0-9]+(?:[A-Za-z])?|[A-Za-z][0-9]*"
_TAIL = rf"(?:(?:{_UNIT_NUM})(?:-(?:{_UNIT_NUM})){{0,3}}{_UNIT})"
# Road + door number: 建国路88号, 愚园路123弄4号, 长安街甲1号院3号楼2单元501室, 人民南路四段12号.
_ROAD_ADDRESS = re.compile(
    r"(?<=[\u4e00-\u9fff])(?:大街|大道|路|街|巷|弄|胡同|(?<![知报频渠难通轨管赛味街车隧])道|(?<=[路街道][一二三四五六七八九十])段)"
    rf"(?P<v>[甲乙丙丁]?[0-9]+(?:-[0-9]+)?(?:号院|号|弄|巷){_TAIL}{{0,6}}(?:[0-9]{{2,5}}(?![0-9年月日元万天个岁%]))?)"
)
# Estate + building / unit / room: 阳光花园3栋2单元502室, 幸福小区3-2-501, 王家村3组15号.
_ESTATE_ADDRESS = re.compile(
    r"(?:小区|花园|公寓|大厦|家园|新村|社区|村|苑|广场|大楼|公馆|华庭|别墅|宿舍|家属院)"
    rf"(?P<v>{_TAIL}{{1,6}}(?:[0-9]{{2,5}}(?![0-9年月日元万天个岁%]))?|[0-9]+(?:-[0-9]+){{1,3}}(?![0-9]))"
)
# Building / unit / room with no estate name: 3号楼2单元501室, 5栋1单元1201.
_ROOM_ADDRESS = re.compile(
    rf"(?<![0-9A-Za-z])(?P<v>{_TAIL}{{0,3}}(?:[0-9]+(?:单元|室)){_TAIL}{{0,3}}(?:[0-9]{{2,5}}(?![0-9年月日元万天个岁%]))?)"
)


def _address_candidates(view: str) -> Iterator[_Candidate]:
    for pattern in (_ROAD_ADDRESS, _ESTATE_ADDRESS, _ROOM_ADDRESS):
        for m in pattern.finditer(view):
            s, e = m.span("v")
            if pattern is _ROOM_ADDRESS and len(re.findall(_UNIT, m.group("v"))) < 2:
                continue  # a lone "501室" is too weak a signal
            hide = tuple(i for i in range(s, e) if view[i].isascii() and view[i].isalnum())
            if hide:
                yield _Candidate("address", s, e, hide)


# --- resolution and masking -----------------------------------------------------------------
def _candidates(view: str) -> list[_Candidate]:
    found = [
        *_number_candidates(view),
        *_named_candidates(view),
        *_plate_candidates(view),
        *_address_candidates(view),
    ]
    # Longest first, then by kind priority: an e-mail beats the phone number in its local part,
    # a bank card beats a phone-shaped slice of it.
    found.sort(key=lambda c: (c.start - c.end, _PRIORITY[c.kind], c.start))
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    for cand in found:
        if not cand.hide or any(i in taken for i in range(cand.start, cand.end)):
            continue
        chosen.append(cand)
        taken.update(range(cand.start, cand.end))
    return sorted(chosen, key=lambda c: c.start)


def _apply(text: str, chosen: list[_Candidate]) -> str:
    chars = list(text)
    for cand in chosen:
        for i in cand.hide:
            chars[i] = MASK
    return "".join(chars)


def mask_text(text: str) -> MaskResult:
    """Mask personal data in `text`; see the module docstring for what counts.

    >>> mask_text("我的卡号 6228 4804 0256 4890 018").text
    '我的卡号 6228 **** **** ***0 018'
    >>> mask_text("邮箱 lisi_law@163.com").text
    '邮箱 l*******@163.com'
    """
    chosen_all: list[_Candidate] = []
    current = text
    # A second pass catches what the first pass's choices hid (overlaps that lost); it normally
    # finds nothing. Each pass masks at least one more character, so this ends.
    for _ in range(8):
        chosen = _candidates(_scan_view(current))
        if not chosen:
            break
        current = _apply(current, chosen)
        chosen_all.extend(chosen)
    findings = [Finding(c.kind, (c.start, c.end), current[c.start : c.end]) for c in chosen_all]
    findings.sort(key=lambda f: f.span)
    return MaskResult(text=current, findings=findings)
