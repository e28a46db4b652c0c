"""Short descriptions of public text for search results, link previews and feeds (pure)."""

from __future__ import annotations

import re

# A sentence ends at Chinese or Western end punctuation (with any closing quotes) or a line break.
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")
_SPACE = re.compile(r"\s+")


def first_sentence(text: str, *, limit: int = 120) -> str:
    """The first non-empty sentence of `text`, whitespace collapsed, cut to `limit` characters.

    >>> first_sentence("入职两年，公司连续三个月没有发工资。老板说资金周转困难。")
    '入职两年，公司连续三个月没有发工资。'
    >>> first_sentence("\\n\\n  借条丢了怎么办？\\n对方不认账")
    '借条丢了怎么办？'
    >>> first_sentence("一二三四五六", limit=4)
    '一二三…'
    >>> first_sentence("")
    ''
    """
    for match in _SENTENCE.finditer(text):
        sentence = _SPACE.sub(" ", match.group()).strip()
        if sentence:
            return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
    return ""


def question_description(title: str, detail: str, *, limit: int = 120) -> str:
    """A question's meta description: the first sentence of its detail, or the title when the
    detail is empty or that sentence is too short to say anything (under 8 characters).

    >>> question_description("公司拖欠工资怎么办？", "入职两年，公司连续三个月没有发工资。老板说再等等。")
    '入职两年，公司连续三个月没有发工资。'
    >>> question_description("公司拖欠工资怎么办？", "如题。")
    '公司拖欠工资怎么办？'
    """
    sentence = first_sentence(detail, limit=limit)
    return sentence if len(sentence) >= 8 else first_sentence(title, limit=limit)
