"""The one text validator (lawqa.common.text): what it rejects, strips and counts, and that the
JSON-schema form of a rule accepts exactly what the validator accepts."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lawqa.common import text
from lawqa.common.text import TextRule, clean_text

TITLE = TextRule(field="title", label="标题", min_chars=5, max_chars=50)
DETAIL = TextRule(field="detail", label="问题描述", max_chars=3000, multiline=True)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        pytest.param("公司拖欠工资怎么办", "公司拖欠工资怎么办", id="plain"),
        pytest.param("  公司  拖欠\n工资 怎么办 ", "公司 拖欠 工资 怎么办", id="spaces-collapsed"),
        pytest.param("公司\u200b拖欠\u200d工资怎么办", "公司拖欠工资怎么办", id="zero-width-stripped"),
        pytest.param("\u202e公司拖欠工资怎么办\u202c", "公司拖欠工资怎么办", id="bidi-override-stripped"),
        pytest.param(
            "\u2066公司拖欠\u2069工资怎么办\ufeff", "公司拖欠工资怎么办", id="isolates-and-bom-stripped"
        ),
        pytest.param("公司\u3164拖欠工资怎么办", "公司 拖欠工资怎么办", id="hangul-filler-is-a-space"),
    ],
)
def test_clean_text_title_normalised(raw, cleaned):
    assert clean_text(raw, TITLE) == cleaned


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("标题里有\x00空字符的问题", "invalid_characters", id="nul"),
        pytest.param("标题里有\x1b控制字符的问题", "invalid_characters", id="escape"),
        pytest.param("标题里有\x85\x9b控制字符的问题", "invalid_characters", id="c1-control"),
        pytest.param("标题里有\ud800残缺字符的问题", "invalid_characters", id="lone-surrogate"),
        pytest.param("标题里有\uffff非字符的问题", "invalid_characters", id="noncharacter"),
        pytest.param("\u200b" * 6, "title_required", id="only-zero-width"),
        pytest.param("\u3164" * 6, "title_required", id="only-hangul-fillers"),
        pytest.param("\u202e\u202e\u202e\u202e\u202e工资", "title_too_short", id="bidi-does-not-count"),
        pytest.param("工 资 呢 ？", "title_too_short", id="spaces-do-not-count"),
        pytest.param("欠" * 51, "title_too_long", id="too-long"),
    ],
)
def test_clean_text_title_rejected_with_code(raw, code):
    with pytest.raises(ValidationError) as error:
        clean_text(raw, TITLE)

    assert error.value.code == code
    assert error.value.messages[0].isascii() is False  # a Chinese message for the writer


def test_clean_text_multiline_keeps_lines_and_tabs():
    assert clean_text("第一行\r\n\t第二行  \r\n\n\n第三行\u200b", DETAIL) == "第一行\n\t第二行\n\n\n第三行"


def test_clean_text_nul_message_names_the_field():
    with pytest.raises(ValidationError) as error:
        clean_text("有\x00", DETAIL)

    assert error.value.messages == [
        "问题描述里有无法显示的控制字符（如空字符）或残缺的字符，请删除后重新输入"
    ]


def test_invisible_set_is_every_format_character_without_a_glyph():
    """Every Unicode format character (Cf) is stripped, except the number signs that have a glyph."""
    with_glyph = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2}
    with_glyph |= {0x110BD, 0x110CD}
    format_chars = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]

    kept = [f"U+{c:04X}" for c in format_chars if text.strip_invisible(chr(c)) != "" and c not in with_glyph]

    assert kept == []


# --- The schema form of a rule agrees with the validator -----------------------------------------

_interesting = st.sampled_from(
    ["\x00", "\x1f", "\u200b", "\u202e", "\ufeff", "\u3164", " ", "\n", "\t", "\ufe0f", "字", "a", "。"]
)
_texts = st.lists(st.one_of(_interesting, st.characters(codec="utf-8")), max_size=60).map("".join)


def _schema_accepts(rule: TextRule, value: str) -> bool:
    schema = rule.json_schema()
    return (
        schema.get("minLength", 0) <= len(value) <= schema["maxLength"]
        and re.search(str(schema["pattern"]), value) is not None
    )


def _validator_accepts(rule: TextRule, value: str) -> bool:
    try:
        clean_text(value, rule, raw_max=True)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(value=_texts)
@example(value="\u200b" * 5)
@example(value="工 资 呢 ？ 吗")
@example(value="公司拖欠\x00工资")
def test_rule_json_schema_accepts_exactly_what_clean_text_accepts(value):
    for rule in (TITLE, DETAIL):
        assert _schema_accepts(rule, value) == _validator_accepts(rule, value), (rule.field, value)


@settings(max_examples=200, deadline=None)
@given(value=_texts)
def test_clean_text_is_idempotent(value):
    try:
        once = clean_text(value, DETAIL)
    except ValidationError:
        return
    assert clean_text(once, DETAIL) == once
