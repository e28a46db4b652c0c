"""Statutes API: check the citations in a text (POST /api/v1/laws/check), read one article."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from lawqa.statutes import services
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
    return [
        CitationOut(
            law=c.law,
            article=c.article,
            sub=c.sub,
            paragraph=c.paragraph,
            item=c.item,
            status=c.status,
            note=c.note,
            span=c.span,
            url=c.url,
        )
        for c in services.check_citations(payload.text[:20000])
    ]


@router.get(
    "/{law}/{number}", response=ArticleOut, summary="某部法律现行版本的一条（number 形如 1038 或 133-1）"
)
def article(request, law: str, number: str):
    num, _, sub = number.partition("-")
    if not num.isdigit() or (sub and not sub.isdigit()):
        raise Http404("条号格式不正确")
    obj = get_object_or_404(
        Article.objects.select_related("law"), law__slug=law, number=int(num), sub=int(sub or 0)
    )
    return ArticleOut(
        law=obj.law.name,
        title=obj.law.title,
        label=obj.label,
        status=obj.law.status,
        headings=obj.headings,
        text=obj.text,
    )
