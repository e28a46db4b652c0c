"""What text is embedded for a question and for a statute article (pure, no Django).

Changing either function changes every stored vector's text digest, so the bundles under
`data/vectors/` must be rebuilt (`scripts/bundle_vectors.py`, about 17 minutes on 2 cores for the
articles) and the indexer re-embeds every question.
"""

from __future__ import annotations

import hashlib

#: Characters of a question's text that are embedded (e5 reads at most 512 tokens; the first
#: few sentences carry the problem, the rest is circumstance).
QUESTION_CHARS = 300
#: Characters of an article's own text that are embedded after its law and heading (the rule and
#: its subject come first; 120 instead of 240 halves the embedding time of the 56,000 articles).
ARTICLE_CHARS = 120


def question_text(title: str, detail: str) -> str:
    """The title and the start of the detail, without repeating a title cut from the detail.

    >>> question_text("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    '房东不退押金怎么办？\\n租期到了，房东说墙脏了要扣押金。'
    >>> question_text("我老公买车赔钱了", "我老公买车赔钱了。车在他名下。")
    '我老公买车赔钱了。车在他名下。'
    """
    title = " ".join(title.split())
    detail = " ".join(detail.split())
    text = detail if title and detail.startswith(title.rstrip("。？！?!…")) else f"{title}\n{detail}".strip()
    return text[:QUESTION_CHARS]


def article_text(law_name: str, label: str, headings: list[str] | tuple[str, ...], text: str) -> str:
    """Short law name, the article's label, its innermost heading, then its text.

    >>> article_text("民法典", "第五百九十条", ["第三编 合同", "第八章 违约责任"], "当事人一方因不可抗力……")
    '《民法典》第五百九十条（第八章 违约责任）当事人一方因不可抗力……'
    """
    heading = f"（{headings[-1]}）" if headings else ""
    body = " ".join(text.split())[:ARTICLE_CHARS]
    return f"《{law_name}》{label}{heading}{body}"


def digest(text: str) -> str:
    """A short, stable digest of an embedded text: a stored vector is reused only for the same text.

    >>> digest("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
