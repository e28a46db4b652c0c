"""Pure helpers for importing Q&A records (the `import_qa` command): parsing and checking one JSONL
line, deriving a title from the question text, trimming an over-long detail, a hand-written
keyword fallback for the practice area, and the deterministic choices (demo asker, lawyer, dates)
that make the demo data look lived-in yet identical on every machine.

No Django import here: the command does the writing.

>>> derive_title("您好，我们两个在北京，咋样才能办离婚手续")
'我们两个在北京，咋样才能办离婚手续'
>>> keyword_area("公司拖欠工资三个月，我想申请劳动仲裁")
'劳动纠纷'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from lawqa.common.text import has_forbidden_characters, strip_invisible
from lawqa.legalai.areas import keyword_scores

TITLE_MIN, TITLE_MAX = 5, 50
DETAIL_MAX = 3000
ANSWER_MIN, ANSWER_MAX = 10, 10000
SOURCE_ID_MAX = 100
DEFAULT_AREA = "综合咨询"

_SENTENCE_END = "。？！?!"
_CLAUSE_BREAK = "，,；;、：:"
# A greeting that opens many consultations; it says nothing about the question.
_GREETING_RE = re.compile(
    r"^(?:(?:尊敬的|各位|亲爱的)?(?:律师|大律师|法律专家)(?:们)?(?:您好|你好)?|您好|你好|律师您好|律师你好)"
    r"[\s，,。.！!：:～~、]+"
)
_SPACE_RE = re.compile(r"\s+")
_REPEATED_END_RE = re.compile(r"[？?！!。]{2,}")
_TRAILING_JUNK = " \t，,；;、：:“‘（(《【-—"


class RecordError(ValueError):
    """A line that cannot be imported; the message (Chinese) says why."""


@dataclass(frozen=True, slots=True)
class QARecord:
    """One checked record: source id, the question's title and detail, and the answer if any."""

    source_id: str
    title: str
    detail: str
    answer: str


# ---------------------------------------------------------------- titles and text


def _normalise(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _strip_tail(text: str) -> str:
    return text.rstrip(_TRAILING_JUNK).rstrip("。")


def _clause_cut(text: str, limit: int) -> str:
    """The longest prefix of `text` ending at a clause break (comma, space …) within `limit`
    characters; a hard cut with an ellipsis when that prefix would keep less than two fifths of
    the limit (a lone opening clause such as "我是物业公司的" says less than a cut sentence)."""
    shortest = max(TITLE_MIN, limit * 2 // 5)
    for i in range(min(limit, len(text) - 1), shortest - 1, -1):
        if text[i] in _CLAUSE_BREAK or text[i] == " ":
            head = _strip_tail(text[:i])
            if len(head) >= shortest:
                return head
    return text[: limit - 1].rstrip() + "…"


def derive_title(text: str) -> str:
    """A title from a question's own words: its first sentence (a leading greeting dropped),
    cut at a clause break when longer than 50 characters. Never adds words; a text shorter
    than five characters is returned whole.

    >>> derive_title("谁可以成为个体工商户？")
    '谁可以成为个体工商户？'
    >>> derive_title("我柜台上有3小瓶勃客酒，1小瓶雪碧饮料。被工商查处。要罚多少钱。")
    '我柜台上有3小瓶勃客酒，1小瓶雪碧饮料'
    >>> derive_title("你好！请问离婚后孩子抚养费怎么算")
    '请问离婚后孩子抚养费怎么算'
    """
    text = _normalise(text).lstrip(_SENTENCE_END + _CLAUSE_BREAK + "。. ")
    stripped = _GREETING_RE.sub("", text, count=1)
    if len(stripped) >= TITLE_MIN:
        text = stripped
    if len(text) < TITLE_MIN:
        return _strip_tail(text) or text
    # First sentence, extended by the next ones while it is too short to say anything.
    end = 0
    while end < len(text):
        match = re.search(f"[{_SENTENCE_END}]+", text[end:])
        end = len(text) if match is None else end + match.end()
        if len(_strip_tail(text[:end])) >= TITLE_MIN:
            break
    sentence = _REPEATED_END_RE.sub(lambda m: m.group(0)[0], text[:end].strip())
    sentence = _strip_tail(sentence) or sentence
    if len(sentence) <= TITLE_MAX:
        return sentence
    return _clause_cut(sentence, TITLE_MAX)


def truncate_detail(text: str, limit: int = DETAIL_MAX) -> str:
    """Cut an over-long detail at the last sentence end within `limit` (or hard, with an
    ellipsis, when no sentence ends in its second half).

    >>> truncate_detail("第一句话说完了。第二句。", limit=10)
    '第一句话说完了。'
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(ch) for ch in _SENTENCE_END + "\n")
    if cut >= limit // 2:
        return head[: cut + 1].rstrip()
    return head[: limit - 1] + "…"


_ANSWER_PREFIX_RE = re.compile(r"^\s*(?:回答|答)\s*[:：]\s*")


def clean_answer(text: str) -> str:
    """Drop the "回答:" label some sources put before the lawyer's words; normalise newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return _ANSWER_PREFIX_RE.sub("", text, count=1)


# ---------------------------------------------------------------- parsing one line


def parse_record(line: str) -> QARecord:
    """Check one JSONL line in the shape of shared/data/qa (`id`, `title`?, `body`, `answer`?)
    and return what the site stores. Raises RecordError with the reason in Chinese.

    >>> parse_record('{"id": "x-1", "title": null, "body": "居住权是什么？"}').title
    '居住权是什么？'
    >>> try:
    ...     parse_record('{"id": "x-1"}')
    ... except RecordError as exc:
    ...     print(exc)
    缺少问题内容（body）
    """
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"不是有效的 JSON（{exc.msg}，第 {exc.colno} 列）") from None
    if not isinstance(raw, dict):
        raise RecordError("每行应是一个 JSON 对象")
    source_id = raw.get("id")
    if isinstance(source_id, int) and not isinstance(source_id, bool):
        source_id = str(source_id)
    if not isinstance(source_id, str) or not source_id.strip():
        raise RecordError("缺少来源编号（id）")
    source_id = source_id.strip()
    if len(source_id) > SOURCE_ID_MAX:
        raise RecordError(f"来源编号超过{SOURCE_ID_MAX}个字符")
    body = raw.get("body")
    if body is None or (isinstance(body, str) and not body.strip()):
        raise RecordError("缺少问题内容（body）")
    if not isinstance(body, str):
        raise RecordError("问题内容（body）应是字符串")
    title = raw.get("title")
    if title is not None and not isinstance(title, str):
        raise RecordError("标题（title）应是字符串或 null")
    answer = raw.get("answer")
    if answer is not None and not isinstance(answer, str):
        raise RecordError("回答（answer）应是字符串或 null")

    # The site's one text rule (lawqa.common.text): control characters refuse the line, invisible
    # format characters (zero-width, bidi controls) go.
    if any(has_forbidden_characters(text or "") for text in (body, title, answer)):
        raise RecordError("含有控制字符（如空字符）或残缺的字符")
    body, title, answer = strip_invisible(body), strip_invisible(title or ""), strip_invisible(answer or "")
    body = body.replace("\r\n", "\n").strip()
    title = _strip_tail(_normalise(title or ""))
    if len(title) < TITLE_MIN:
        # Too short to say anything ("户口问题" is a topic, not a question): use the body's words.
        title = ""
    if len(title) > TITLE_MAX:
        raise RecordError(f"标题超过{TITLE_MAX}字（{len(title)}字）")
    answer = clean_answer(answer or "")
    if answer and len(answer) < ANSWER_MIN:
        raise RecordError(f"回答少于{ANSWER_MIN}字")
    if len(answer) > ANSWER_MAX:
        raise RecordError(f"回答超过{ANSWER_MAX}字（{len(answer)}字）")
    if title:
        detail = body
    else:
        title = derive_title(body)
        # The whole question fits in the title: repeating it as the detail adds nothing.
        detail = "" if title == _normalise(body) else body
    return QARecord(source_id=source_id, title=title, detail=truncate_detail(detail), answer=answer)


# ---------------------------------------------------------------- keyword fallback for the area


def keyword_area(text: str) -> str:
    """The area whose hand-written keywords (legalai.areas, the classifier's own rules) match
    `text` best; 综合咨询 if none. Used only when no trained classifier is available.

    >>> keyword_area("我想问问天气")
    '综合咨询'
    >>> keyword_area("被撞了对方逃逸，交警说要做事故认定")
    '交通事故'
    """
    scores = keyword_scores(text)
    if not scores:
        return DEFAULT_AREA
    return max(scores, key=lambda a: scores[a])


# ---------------------------------------------------------------- deterministic choices


def stable_int(*parts: str) -> int:
    """A number from the parts that is the same on every machine and run (unlike hash())."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def pick(options: list, *key: str):
    """Choose one of `options` deterministically from the key."""
    if not options:
        raise ValueError("nothing to pick from")
    return options[stable_int(*key) % len(options)]


def chance(percent: int, *key: str) -> bool:
    """True for about `percent` % of keys, always the same for the same key."""
    return stable_int("chance", *key) % 100 < percent


def created_at_for(source_id: str, now: dt.datetime, *, days: int = 730) -> dt.datetime:
    """A question time spread evenly over the past `days` (at least an hour ago)."""
    seconds = 3600 + stable_int("created", source_id) % (days * 86400)
    return now - dt.timedelta(seconds=seconds)


def answered_at_for(source_id: str, asked: dt.datetime, now: dt.datetime) -> dt.datetime:
    """An answer 20 minutes to three days after the question, never in the future."""
    delay = dt.timedelta(minutes=20 + stable_int("answered", source_id) % (3 * 24 * 60))
    return min(asked + delay, now - dt.timedelta(minutes=1))


def view_count_for(source_id: str, *, answered: bool, age_days: float) -> int:
    """A plausible page-view count: older and answered questions have been read more."""
    base = 12 + stable_int("views", source_id) % 180
    return int(base + age_days * (1.6 if answered else 0.4))
