from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet


class CountedPaginator(Paginator):
    """A paginator for a long list whose length is kept elsewhere (a maintained counter), so no
    COUNT(*) runs over the rows. A page always asks for a full page of rows, so a counter that is
    a little off never hides rows: it only shifts the last page number.

    A page is one query in two steps: its ids (`WHERE id IN (SELECT id … ORDER BY … LIMIT n
    OFFSET m)`), then its rows. With an index that covers the filter and the order, the OFFSET
    walks that index alone, so page 200 costs about what page 1 does instead of fetching the
    4,000 rows before it from the table."""

    def __init__(self, object_list: QuerySet, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = max(0, count)  # Paginator.count is a cached_property

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


def paginate(queryset: QuerySet, page: str | None, per_page: int, *, count: int | None = None) -> Page:
    """A page of the queryset; bad or out-of-range page numbers give the first or last page.
    `count`: the number of rows when the caller keeps it (no COUNT query then)."""
    paginator = (
        Paginator(queryset, per_page) if count is None else CountedPaginator(queryset, per_page, count=count)
    )
    try:
        return paginator.page(page or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
