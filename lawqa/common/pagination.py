from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet


def paginate(queryset: QuerySet, page: str | None, per_page: int) -> Page:
    """A page of the queryset; bad or out-of-range page numbers give the first or last page."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
