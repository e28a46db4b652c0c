"""Reads for the answer form's 写作助手: the question's suggested articles as ready-made citations,
and the lawyer's own earlier answers to similar questions.

Similar questions come from the stored question vectors of the search index
(`lawqa.search.vectors`, no embedding on the request); where the index has no vector for the
question (just asked, index being built, model changed) they come from the characters the
questions share, and where neither finds anything close the list is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from lawqa.accounts.models import User
from lawqa.legalai import services as legalai_services
from lawqa.questions.models import Answer, Question
from lawqa.statutes.library import article_label

# The lawyer's latest answers compared with the question (older ones are rarely reused).
SIMILAR_POOL = 300
# Cosine of two e5 question vectors from which they count as similar: unrelated demo questions
# are at 0.88 (median) and 0.93 (99th percentile), near-duplicates at 0.95 and up.
SEMANTIC_MIN = 0.93
# Dice overlap of the two questions' character pairs from which they count as similar without
# vectors.
LEXICAL_MIN = 0.25


def citation_text(law_name: str, number: int, sub: int = 0) -> str:
    """The citation as lawyers write it and the citation check reads it.

    >>> citation_text("劳动合同法", 30), citation_text("刑法", 133, 1)
    ('《劳动合同法》第三十条', '《刑法》第一百三十三条之一')
    """
    return f"《{law_name}》{article_label(number, sub)}"


@dataclass(frozen=True)
class SuggestedCitation:
    """A suggested article with the citation text to insert and, if the library has it, its page
    and text."""

    citation: str
    url: str
    excerpt: str


def suggested_citations(question: Question, k: int = 5) -> list[SuggestedCitation]:
    """legalai's stored suggestions for the question (one query for the articles)."""
    found = []
    for linked in legalai_services.question_suggestions(question, k):
        s, article = linked.suggestion, linked.article
        found.append(
            SuggestedCitation(
                citation=citation_text(s.law_name or s.law, s.article, s.sub),
                url=article.get_absolute_url() if article is not None else "",
                excerpt=" ".join(article.text.split())[:90] if article is not None else "",
            )
        )
    return found


def _bigrams(text: str) -> set[str]:
    text = "".join(ch for ch in text if ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _question_text(q: Question) -> str:
    return f"{q.title}{q.detail[:300]}"


def _semantic_scores(question: Question, question_ids: list[int]) -> dict[int, float] | None:
    """Cosine of the question's stored vector with each of `question_ids` that has one; None
    when the question itself has no vector (then the caller falls back to characters)."""
    from lawqa.search import vectors  # numpy and the index reader only when the panel is opened

    mine = vectors.question_vector(question.pk)
    if mine is None:
        return None
    scores = {}
    for qid in question_ids:
        other = vectors.question_vector(qid)
        if other is not None:
            scores[qid] = float(mine @ other)
    return scores


def similar_own_answers(question: Question, lawyer: User, limit: int = 3) -> tuple[list[Answer], str]:
    """The lawyer's visible answers to the questions most similar to `question` (at most
    `limit`, most similar first), and how they were found: "semantic", "lexical" or "" (none
    close enough). One query for the lawyer's latest answers."""
    pool = list(
        Answer.objects.filter(lawyer=lawyer, is_hidden=False, question__is_hidden=False)
        .exclude(question_id=question.pk)
        .select_related("question")
        .only("id", "body", "created_at", "question__id", "question__title", "question__detail")
        .order_by("-created_at", "-id")[:SIMILAR_POOL]
    )
    if not pool:
        return [], ""
    scores = _semantic_scores(question, [a.question_id for a in pool])
    method, threshold = "semantic", SEMANTIC_MIN
    if not scores:
        method, threshold = "lexical", LEXICAL_MIN
        mine = _bigrams(_question_text(question))
        scores = {}
        for a in pool:
            theirs = _bigrams(_question_text(a.question))
            if mine and theirs:
                scores[a.question_id] = 2 * len(mine & theirs) / (len(mine) + len(theirs))
    ranked = sorted(
        (a for a in pool if scores.get(a.question_id, 0.0) >= threshold),
        key=lambda a: scores[a.question_id],
        reverse=True,
    )[:limit]
    return ranked, method if ranked else ""
