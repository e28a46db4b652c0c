"""Law pages (index, law, article) and the 引用检查 preview an answer form posts to."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from lawqa.common.pagination import paginate

from . import queries, services
from .models import Article, Law


@require_GET
def law_index(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level") or ""
    q = (request.GET.get("q") or "").strip()[:50]
    counts = queries.level_counts()
    if level not in counts:
        level = "" if q else ("法律" if "法律" in counts else next(iter(counts), ""))
    page = paginate(queries.law_list(level=level or None, q=q), request.GET.get("page"), 100)
    return render(request, "statutes/index.html", {"page": page, "level": level, "q": q, "counts": counts})


@require_GET
def law_detail(request: HttpRequest, law: str) -> HttpResponse:
    try:
        obj = queries.law_by_slug(law)
    except Law.DoesNotExist:
        raise Http404("没有找到这部法律") from None
    return render(
        request,
        "statutes/law.html",
        {"law": obj, "articles": queries.law_articles(obj), "versions": queries.law_versions(obj)},
    )


@require_GET
def article_detail(request: HttpRequest, law: str, article: str) -> HttpResponse:
    try:
        obj = queries.article_page(law, article)
    except Article.DoesNotExist:
        raise Http404("没有找到这一条") from None
    prev, nxt = queries.article_neighbours(obj)
    return render(
        request,
        "statutes/article.html",
        {
            "article": obj,
            "law": obj.law,
            "prev": prev,
            "next": nxt,
            "questions": queries.citing_questions(obj),
        },
    )


@require_POST
def citation_check(request: HttpRequest) -> HttpResponse:
    """htmx partial: each citation in the posted answer text with its status."""
    text = (request.POST.get("body") or request.POST.get("text") or "")[:20000]
    return render(request, "statutes/_citation_check.html", {"checked": services.check_citations(text)})
