"""Chinese numerals as written in article numbers (第一千零三十八条): one converter for the
statute parser, the citation engine and the training code. Pure, no Django.

>>> [cn_to_int(x) for x in ("一千零三十八", "十", "十二", "二百六十四", "１０７９", "一〇七九", "两百")]
[1038, 10, 12, 264, 1079, 1079, 200]
"""

from __future__ import annotations

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(s: str, *, strict: bool = False) -> int:
    """A numeral (Chinese with units, Chinese digit by digit, Arabic or full-width) → int.

    Characters that are not numerals are skipped, or raise ValueError when `strict`.

    >>> cn_to_int("第三", strict=False), cn_to_int("一千零一")
    (3, 1001)
    >>> cn_to_int("三x", strict=True)
    Traceback (most recent call last):
    ...
    ValueError: not a numeral: '三x'
    """
    s = s.strip().translate(_FULLWIDTH)
    if s.isdigit():
        return int(s)
    if len(s) > 1 and all(ch in CN_DIGITS for ch in s):  # digit by digit: 一〇七九
        return int("".join(str(CN_DIGITS[ch]) for ch in s))
    total, cur = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            cur = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (cur or 1) * CN_UNITS[ch]
            cur = 0
        elif strict:
            raise ValueError(f"not a numeral: {s!r}")
    return total + cur
