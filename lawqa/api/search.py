"""Search API: the search page's results (GET /api/v1/search) and the ask page's similar answered
questions for a title being typed (GET /api/v1/questions/similar); search.queries, as the pages."""

import logging
from typing import Literal

from django.db.models import prefetch_related_objects
from ninja import Field, Query, Router, Schema

from lawqa.common.text import TextRule
from lawqa.search import queries

from .fields import text_field
from .ops import public
from .pagination import CursorPage
from .questions import AreaSlug, QuestionOut

logger = logging.getLogger(__name__)
router = Router(tags=["搜索"])

QUERY_RULE = TextRule(field="q", label="标题", max_chars=200)


class SimilarIn(Schema):
    q: text_field(QUERY_RULE) = ""


class SimilarOut(Schema):
    id: int
    title: str
    area: str
    answer_count: int
    url: str


@router.get(
    "/questions/similar",
    **public(
        {200: list[SimilarOut]},
        summary="与标题相似的已解答问题（最多5个）",
        description="提问页在输入标题时显示的“相似问题”：按意思和用词找出最多5个已解答的问题。",
    ),
)
def similar_questions(request, params: Query[SimilarIn]):
    try:
        found = queries.similar_questions(params.q)
    except OSError:
        # A missing or broken index must not take the ask page's helper down (as /search/similar/).
        logger.exception("similar questions failed")
        found = []
    return [
        SimilarOut(
            id=q.pk,
            title=q.title,
            area=q.category.name,
            answer_count=q.answer_count,
            url=q.get_absolute_url(),
        )
        for q in found
    ]


SEARCH_RULE = TextRule(field="q", label="搜索词", max_chars=queries.MAX_QUERY_LENGTH)


class SearchIn(Schema):
    q: text_field(SEARCH_RULE) = Field(description="搜索词，用日常说法即可，如“公司不发工资怎么办”")
    area: AreaSlug | None = Field(None, description="只看这个专业领域")
    answered: Literal["1", "0"] | None = Field(None, description="1 只看已解答 / 0 只看待解答")
    cursor: str | None = Field(
        None, pattern=r"^[0-9]{1,2}$", description="上一页响应中的 next_cursor，原样传回（取第一页时不传）"
    )


class SearchHitOut(Schema):
    question: QuestionOut
    title_html: str = Field(description="标题，命中的词用 <mark> 标出（已转义的 HTML）")
    snippet_html: str = Field(description="问题描述中命中的片段（已转义的 HTML，可能为空）")


@router.get(
    "/search",
    **public(
        {200: CursorPage[SearchHitOut]},
        summary="搜索问题",
        description=(
            "与网站搜索页相同的排序（分词检索与语义检索结合），每页10条，最多50页。"
            "取下一页时把 next_cursor 作为 cursor 传回。"
        ),
    ),
)
def search(request, params: Query[SearchIn]):
    page = max(1, int(params.cursor or 1))
    if page > queries.MAX_PAGES:
        return {"items": [], "next_cursor": None}
    answered = {"1": True, "0": False}.get(params.answered or "")
    try:
        results = queries.search_questions(params.q, area=params.area, answered=answered, page=page)
    except (OSError, ValueError):
        # As the search page: a broken or missing index gives no results, not an error.
        logger.exception("search failed for %r", params.q)
        return {"items": [], "next_cursor": None}
    prefetch_related_objects([r.question for r in results.results], "asker")  # one query for the page
    hits = [
        {"question": r.question, "title_html": str(r.title_html), "snippet_html": str(r.snippet_html)}
        for r in results.results
    ]
    return {"items": hits, "next_cursor": str(page + 1) if results.has_next else None}
