"""Statutes API: the laws (list, one law with its articles, one article with the questions
citing it) and the citation check of the answer form (POST /api/v1/laws/check). statutes.queries
and statutes.services, as the law pages."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema

from lawqa.common.text import TextRule
from lawqa.statutes import queries, services
from lawqa.statutes.models import Article, Law

from .fields import text_field
from .ops import public
from .pagination import CursorPage, Key, PageIn, keyset_page

router = Router(tags=["法律法规"])

CHECK_RULE = TextRule(field="text", label="文字", max_chars=20000, multiline=True)
LAW_RULE = TextRule(field="law", label="法律名称", max_chars=200)
NUMBER_RULE = TextRule(field="number", label="条号", max_chars=20)


class CheckIn(Schema):
    text: text_field(CHECK_RULE, keep_raw=True)  # the answer's spans index this text


class CitationOut(Schema):
    law: str
    article: int
    sub: int
    paragraph: int | None
    item: int | None
    status: str
    note: str
    span: tuple[int, int]
    url: str | None


class CitingQuestionOut(Schema):
    id: int
    title: str
    created_at: datetime
    url: str


class ArticleOut(Schema):
    law: str
    title: str
    label: str
    number: int
    sub: int = Field(description="“之X”：第一百三十三条之一为 number 133、sub 1")
    status: str
    headings: list[str] = Field(description="所在的编、章、节")
    text: str
    url: str
    citing_questions: list[CitingQuestionOut] = Field(description="回答中引用了本条的问题（最新的20个）")


class LawOut(Schema):
    slug: str = Field(description="法律的网址名，用于 GET /api/v1/laws/{law}")
    name: str
    title: str
    level: str = Field(description="效力级别：宪法、法律、行政法规、司法解释、部门规章 …")
    status: str = Field(description="时效性：现行有效 / 已修订 / 已废止")
    is_current: bool
    version: str
    promulgated_on: date | None
    effective_on: date | None
    article_count: int
    url: str

    @staticmethod
    def resolve_url(obj: Law) -> str:
        return obj.get_absolute_url()


class LawArticleOut(Schema):
    number: int
    sub: int
    label: str
    headings: list[str]
    text: str


class LawVersionOut(Schema):
    slug: str
    title: str
    version: str
    status: str
    is_current: bool


class LawDetailOut(LawOut):
    repealed_on: date | None
    successor_name: str = Field(description="已废止的法律由哪部法律替代（如有）")
    versions: list[LawVersionOut] = Field(description="同名法律的各个版本，最新的在前")
    articles: list[LawArticleOut]

    @staticmethod
    def resolve_versions(obj: Law) -> list[Law]:
        return obj.version_rows

    @staticmethod
    def resolve_articles(obj: Law) -> list[Article]:
        return obj.article_rows


class LawListIn(PageIn):
    level: text_field(TextRule(field="level", label="效力级别", max_chars=20)) = Field(
        "", description="只看这一效力级别，如“法律”"
    )
    q: text_field(TextRule(field="q", label="标题关键词", max_chars=50)) = Field(
        "", description="标题或简称中的词，空格分隔"
    )


@router.get(
    "",
    **public(
        {200: CursorPage[LawOut]},
        summary="法律法规列表",
        description="收录的法律法规（每部一行：现行版本，或已废止的最后版本），可按效力级别和标题关键词筛选。",
    ),
)
def law_list(request, params: Query[LawListIn]):
    qs = queries.law_list(level=params.level or None, q=params.q)
    return keyset_page(qs, cursor=params.cursor, limit=params.limit, keys=(Key("id", descending=False),))


@router.post(
    "/check",
    **public(
        {200: list[CitationOut]},
        413,
        summary="检查一段文字中的法条引用",
        description=(
            "与回答表单上的“引用检查”相同：找出文字中的每一处法条引用（如《民法典》第一千零八十七条），"
            "并给出状态：ok 有效 / repealed 已废止 / not_found 条文不存在 / unknown_law 未收录的法律。"
        ),
    ),
)
def check(request, payload: CheckIn):
    return services.check_citations(payload.text)


@router.get(
    "/{law}",
    **public(
        {200: LawDetailOut},
        404,
        summary="一部法律",
        description="法律的基本信息、各个版本和全部条文（law 为列表中的 slug，如“民法典”）。",
    ),
)
def law_detail(request, law: text_field(LAW_RULE)):
    try:
        obj = queries.law_by_slug(law)
    except Law.DoesNotExist:
        raise Http404("没有找到这部法律") from None
    obj.version_rows = queries.law_versions(obj)
    obj.article_rows = queries.law_articles(obj)
    return obj


@router.get(
    "/{law}/{number}",
    **public(
        {200: ArticleOut},
        404,
        summary="一条法条",
        description="某部法律（law 为 slug）的一条，number 形如 1038 或 133-1（第一百三十三条之一），附引用本条的问题。",
    ),
)
def article(request, law: text_field(LAW_RULE), number: text_field(NUMBER_RULE)):
    try:
        obj = queries.article_page(law, number)
    except Article.DoesNotExist:
        raise Http404("没有找到这一条") from None
    return ArticleOut(
        law=obj.law.name,
        title=obj.law.title,
        label=obj.label,
        number=obj.number,
        sub=obj.sub,
        status=obj.law.status,
        headings=obj.headings,
        text=obj.text,
        url=obj.get_absolute_url(),
        citing_questions=[
            {"id": q.pk, "title": q.title, "created_at": q.created_at, "url": q.get_absolute_url()}
            for q in queries.citing_questions(obj)
        ],
    )
