"""The one validator for text people type: forms, the API and imports all go through `clean_text`.

What it does with a string, in order:

1. **Rejects** characters that no one types and no screen shows: C0/C1 control characters other
   than tab, line feed, vertical tab, form feed and carriage return (NUL among them — PostgreSQL
   refuses it), lone surrogates (broken UTF-16, which no database can encode) and the
   noncharacters U+FDD0–U+FDEF, U+FFFE, U+FFFF. The writer is told to delete them.
2. **Strips** invisible format characters (Unicode category Cf): zero-width spaces and joiners,
   the bidirectional controls (U+202A–U+202E, U+2066–U+2069, which can make text read backwards:
   "U+202E…txt.exe"), the BOM, soft hyphens, tag characters. They carry nothing a reader sees but
   can hide or disguise text. The Arabic/Syriac/Kaithi number signs of category Cf have a glyph
   and stay.
3. Treats the blank-looking letters (Hangul fillers, braille blank) as spaces; a one-line field
   has every run of spaces (line breaks included) collapsed to one space, a multi-line field keeps
   its lines (CRLF → LF); both are trimmed.
4. Counts only **visible** characters for a minimum length ("至少需要5个字"): spaces, stripped
   characters and variation selectors do not count. The maximum is checked on the cleaned text.

`TextRule.json_schema()` gives the same rule as JSON-schema keywords (minLength, maxLength,
pattern over the raw input), built from the same character sets, so the API schema promises
exactly what the server accepts.

>>> clean_text("  公司\u200b拖欠\u202e工资   怎么办 ", TextRule(field="title", label="标题", min_chars=5, max_chars=50))
'公司拖欠工资 怎么办'
>>> visible_length("\u200b\u200b  ㅤ")
0
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Character classes as regex class bodies (Python `re` syntax; BMP ones are also ECMA-262).
# Rejected: controls except \t \n \x0b \x0c \r, lone surrogates, BMP noncharacters.
_FORBIDDEN_BMP = "\\x00-\\x08\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f\\ufdd0-\\ufdef\\ufffe\\uffff"
_FORBIDDEN = _FORBIDDEN_BMP + "\\ud800-\\udfff"
# Stripped: Unicode 14 category Cf, less the prepended concatenation marks that have a glyph
# (U+0600–0605, 06DD, 070F, 0890–0891, 08E2, 110BD, 110CD).
_INVISIBLE = (
    "\\xad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb"
    "\\U00013430-\\U0001343f\\U0001bca0-\\U0001bca3\\U0001d173-\\U0001d17a\\U000e0001\\U000e0020-\\U000e007f"
)
# Letters that render as blank space: Hangul fillers, halfwidth Hangul filler, braille blank.
_BLANK_LETTERS = "\\u115f\\u1160\\u3164\\uffa0\\u2800"
# Whitespace (str.isspace, less the information separators \x1c–\x1f, which are forbidden).
_SPACES = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
# Variation selectors: kept (emoji presentation) but not visible on their own.
_SELECTORS = "\\ufe00-\\ufe0f\\U000e0100-\\U000e01ef"

_NOT_VISIBLE = _INVISIBLE + _BLANK_LETTERS + _SPACES + _SELECTORS

_FORBIDDEN_RE = re.compile(f"[{_FORBIDDEN}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")
_BLANK_LETTERS_RE = re.compile(f"[{_BLANK_LETTERS}]")
_VISIBLE_RE = re.compile(f"[^{_FORBIDDEN}{_NOT_VISIBLE}]")
_HORIZONTAL_SPACE_RE = re.compile("[^\\S\\n]+")


def has_forbidden_characters(value: str) -> bool:
    """True when `value` holds a control character, a lone surrogate or a noncharacter.

    >>> has_forbidden_characters("标题\\x00"), has_forbidden_characters("第一行\\n第二行\\t")
    (True, False)
    """
    return _FORBIDDEN_RE.search(value) is not None


def strip_invisible(value: str) -> str:
    """`value` without zero-width, bidirectional-control and other invisible format characters.

    >>> strip_invisible("abc\\u202edef\\u200b")
    'abcdef'
    """
    return _INVISIBLE_RE.sub("", value)


def visible_length(value: str) -> int:
    """How many characters of `value` a reader sees (spaces and invisible characters not counted)."""
    return len(_VISIBLE_RE.findall(value))


def normalize_text(value: str, *, multiline: bool) -> str:
    """Strip invisible characters, turn blank letters into spaces and trim; a one-line text gets
    each run of whitespace collapsed to one space, a multi-line text keeps its line breaks (LF).
    Does not check for forbidden characters (`clean_text` does, before calling this)."""
    value = _BLANK_LETTERS_RE.sub(" ", strip_invisible(value))
    if not multiline:
        return " ".join(value.split())
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


@dataclass(frozen=True)
class TextRule:
    """What one text field accepts, with the Chinese messages its writer sees.

    `min_chars` counts visible characters (0: the field may be left empty); `max_chars` counts
    the characters of the cleaned text. A message may use {label}, {min}, {max} and {length}.
    """

    field: str
    label: str
    max_chars: int
    min_chars: int = 0
    multiline: bool = False
    # Prefix of the error codes ("<code>_required" …); the field name when empty.
    code: str = ""
    required_message: str = "请填写{label}"
    too_short_message: str = "{label}至少需要{min}个字"
    too_long_message: str = "{label}最多{max}个字（现在是{length}个字），请删减后再提交"

    @property
    def code_prefix(self) -> str:
        return self.code or self.field

    def _message(self, template: str, **extra: int) -> str:
        return template.format(label=self.label, min=self.min_chars, max=self.max_chars, **extra)

    def json_schema(self) -> dict[str, int | str]:
        """The rule as JSON-schema keywords over the raw input (before cleaning): a raw string of at
        most `max_chars` characters with at least `min_chars` visible ones and no forbidden one
        is always accepted, and any other string is refused."""
        forbidden = _FORBIDDEN_BMP  # lone surrogates cannot occur in a JSON document's strings
        if self.min_chars:
            hidden = f"[{_NOT_VISIBLE}]"
            visible = f"[^{forbidden}{_NOT_VISIBLE}]"
            pattern = f"^(?:{hidden}*{visible}){{{self.min_chars}}}[^{forbidden}]*$"
        else:
            pattern = f"^[^{forbidden}]*$"
        schema: dict[str, int | str] = {"maxLength": self.max_chars, "pattern": pattern}
        if self.min_chars:
            schema["minLength"] = self.min_chars
        return schema


def clean_text(value: str | None, rule: TextRule, *, raw_max: bool = False) -> str:
    """`value` cleaned by the rules in this module's docstring, or ValidationError with a code:
    invalid_characters, required, too_short, too_long.

    `raw_max` also refuses a raw value longer than `max_chars` (the API: its schema's maxLength is
    on what the client sends)."""
    value = value or ""
    if has_forbidden_characters(value):
        raise ValidationError(
            f"{rule.label}里有无法显示的控制字符（如空字符）或残缺的字符，请删除后重新输入",
            code="invalid_characters",
        )
    if raw_max and len(value) > rule.max_chars:
        raise ValidationError(
            rule._message(rule.too_long_message, length=len(value)), code=f"{rule.code_prefix}_too_long"
        )
    cleaned = normalize_text(value, multiline=rule.multiline)
    visible = visible_length(cleaned)
    if rule.min_chars and visible == 0:
        raise ValidationError(rule._message(rule.required_message), code=f"{rule.code_prefix}_required")
    if visible < rule.min_chars:
        raise ValidationError(rule._message(rule.too_short_message), code=f"{rule.code_prefix}_too_short")
    if len(cleaned) > rule.max_chars:
        raise ValidationError(
            rule._message(rule.too_long_message, length=len(cleaned)), code=f"{rule.code_prefix}_too_long"
        )
    return cleaned


def clean_fields(values: Mapping[str, tuple[str | None, TextRule]]) -> dict[str, str]:
    """Clean several fields at once: {name: (value, rule)} → {name: cleaned}; raises one
    ValidationError keyed by field name holding every field's problem."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[ValidationError]] = {}
    for name, (value, rule) in values.items():
        try:
            cleaned[name] = clean_text(value, rule)
        except ValidationError as error:
            errors[name] = [error]
    if errors:
        raise ValidationError(errors)
    return cleaned
