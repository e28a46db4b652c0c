"""Statutes API: check the citations in a text (POST /api/v1/laws/check), read one article."""

from django.http import Http404
from ninja import Router, Schema

from lawqa.statutes import queries, services
from lawqa.statutes.models import Article

router = Router(tags=["statutes"])


class CheckIn(Schema):
    text: str


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


class ArticleOut(Schema):
    law: str
    title: str
    label: str
    status: str
    headings: list[str]
    text: str


@router.post("/check", response=list[CitationOut], summary="检查一段文字中的法条引用")
def check(request, payload: CheckIn):
    return services.check_citations(payload.text[:20000])


@router.get(
    "/{law}/{number}", response=ArticleOut, summary="某部法律现行版本的一条（number 形如 1038 或 133-1）"
)
def article(request, law: str, number: str):
    try:
        obj = queries.article_page(law, number)
    except Article.DoesNotExist:
        raise Http404("没有找到这一条") from None
    return ArticleOut(
        law=obj.law.name,
        title=obj.law.title,
        label=obj.label,
        status=obj.law.status,
        headings=obj.headings,
        text=obj.text,
    )
