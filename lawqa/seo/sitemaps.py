"""Sitemap sections (django.contrib.sitemaps) and their XML, per the sitemaps.org protocol.

`SECTIONS` maps a name to a Sitemap class. Each section says which of its pages exist (`pages()`,
for the sitemap index, with each page's newest lastmod) and yields one page's URLs through
Django's `Sitemap.get_urls`. The large sections (questions, articles, laws, lawyers) page by
primary-key ranges (`RangePaginator`): a page is one range scan, never an OFFSET, and costs the
same at 1M rows as at 1,000. The XML is written directly rather than through a template: a full
page of 50,000 URLs renders in a fraction of the time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from lawqa.questions.models import title_slug

from . import queries

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# No table here reaches this many pages (50 billion rows); beyond it ids overflow 64-bit integers.
MAX_PAGE = 1_000_000
# What reverse() leaves unquoted in a path segment (django.urls.resolvers does the same).
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def path_format(viewname: str, *names: str) -> str:
    """The URL pattern of `viewname` as a str.format template with one field per name, made with one
    reverse(): reversing 50,000 URLs one by one takes seconds, formatting them milliseconds.
    The values passed to format() must be quoted as reverse() would (`quote_segment`)."""
    markers = {name: str(987_654_321_000 + i) for i, name in enumerate(names)}
    path = reverse(viewname, kwargs=markers)
    for name, marker in markers.items():
        path = path.replace(marker, "{" + name + "}")
    return path


def quote_segment(value: str) -> str:
    return quote(value, safe=_SAFE)


@dataclass
class RangePage:
    """What Django's Sitemap._urls reads from a paginator page."""

    object_list: list


class RangePaginator:
    """Django's sitemap paginator interface over primary-key ranges: page n is the rows with
    (n-1)·limit < pk ≤ n·limit, so no page holds more than `limit` URLs."""

    def __init__(self, sitemap: RangeSitemap):
        self.sitemap = sitemap

    def page(self, number) -> RangePage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("页码必须是整数") from None
        if not 1 <= number <= MAX_PAGE:
            raise EmptyPage("没有这一页")
        limit = self.sitemap.limit
        rows = self.sitemap.rows(low=(number - 1) * limit, high=number * limit)
        if not rows:
            raise EmptyPage("这一页没有网址")
        return RangePage(rows)


class SitemapSection(Sitemap):
    """A named part of the sitemap; `pages()` lists its non-empty pages for the index."""

    def __init__(self):
        self.limit = settings.LAWQA_SITEMAP_URLS_PER_FILE

    def pages(self) -> list[tuple[int, dt.datetime | None]]:
        items = list(self.items())
        if not items:
            return []
        n_pages = (len(items) + self.limit - 1) // self.limit
        lastmods = [m for m in (self._get("lastmod", item) for item in items) if m is not None]
        return [(n, max(lastmods) if lastmods else None) for n in range(1, n_pages + 1)]


class RangeSitemap(SitemapSection):
    """A section paged by primary-key ranges over `queryset()`, rows carrying `fields`."""

    fields: tuple[str, ...] = ()
    lastmod_field: str | None = None

    def queryset(self):
        raise NotImplementedError

    @property
    def paginator(self) -> RangePaginator:
        return RangePaginator(self)

    def rows(self, *, low: int, high: int) -> list[tuple]:
        return queries.rows_in_range(self.queryset(), self.fields, low=low, high=high)

    def pages(self) -> list[tuple[int, dt.datetime | None]]:
        return queries.range_pages(self.queryset(), self.limit, self.lastmod_field)


class StaticPagesSitemap(SitemapSection):
    """The few fixed pages worth a search engine's visit."""

    def items(self) -> list[str]:
        return ["home", "statutes:index", "lawyers:directory", "privacy:policy"]

    def location(self, item: str) -> str:
        return reverse(item)


class AreasSitemap(SitemapSection):
    def items(self):
        return queries.sitemap_areas()


class QuestionsSitemap(RangeSitemap):
    fields = ("title", "updated_at")
    lastmod_field = "updated_at"

    def __init__(self):
        super().__init__()
        self.path = path_format("questions:detail", "pk", "slug")

    def queryset(self):
        return queries.sitemap_questions()

    def location(self, row) -> str:
        return self.path.format(pk=row.pk, slug=quote_segment(title_slug(row.title)))

    def lastmod(self, row) -> dt.datetime:
        return row.updated_at


class LawsSitemap(RangeSitemap):
    fields = ("slug", "updated_at")
    lastmod_field = "updated_at"

    def __init__(self):
        super().__init__()
        self.path = path_format("statutes:law", "law")

    def queryset(self):
        return queries.sitemap_laws()

    def location(self, row) -> str:
        return self.path.format(law=quote_segment(row.slug))

    def lastmod(self, row) -> dt.datetime:
        return row.updated_at


class ArticlesSitemap(RangeSitemap):
    """Every article page of every law version (about 64,000: the site's best landing pages)."""

    fields = ("number", "sub", "law__slug", "law__updated_at")
    lastmod_field = "law__updated_at"

    def __init__(self):
        super().__init__()
        self.path = path_format("statutes:article", "law", "article")

    def queryset(self):
        return queries.sitemap_articles()

    def location(self, row) -> str:
        article = f"{row.number}-{row.sub}" if row.sub else str(row.number)
        return self.path.format(law=quote_segment(row.law__slug), article=article)

    def lastmod(self, row) -> dt.datetime:
        return row.law__updated_at


class LawyersSitemap(RangeSitemap):
    fields = ("user_id",)

    def __init__(self):
        super().__init__()
        self.path = path_format("lawyers:profile", "user_id")

    def queryset(self):
        return queries.sitemap_lawyers()

    def location(self, row) -> str:
        return self.path.format(user_id=row.user_id)


SECTIONS: dict[str, type[SitemapSection]] = {
    "pages": StaticPagesSitemap,
    "areas": AreasSitemap,
    "questions": QuestionsSitemap,
    "laws": LawsSitemap,
    "articles": ArticlesSitemap,
    "lawyers": LawyersSitemap,
}


# ---------------------------------------------------------------- XML


def w3c_datetime(value: dt.datetime | dt.date) -> str:
    """A W3C Datetime as sitemaps.org wants it (UTC offset written out).

    >>> w3c_datetime(dt.datetime(2026, 11, 30, 4, 20, 48, 123, tzinfo=dt.UTC))
    '2026-11-30T04:20:48+00:00'
    >>> w3c_datetime(dt.date(2021, 1, 1))
    '2021-01-01'
    """
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    return value.isoformat()


def _xml_text(value: str) -> str:
    return escape(value, {"'": "&apos;", '"': "&quot;"})


def urlset_xml(urls: list[dict]) -> str:
    """A <urlset> of Django's sitemap URL dicts (location, lastmod)."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n']
    for url in urls:
        lastmod = f"<lastmod>{w3c_datetime(url['lastmod'])}</lastmod>" if url["lastmod"] else ""
        parts.append(f"<url><loc>{_xml_text(url['location'])}</loc>{lastmod}</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def sitemapindex_xml(entries: list[tuple[str, dt.datetime | None]]) -> str:
    """A <sitemapindex> of (absolute sitemap URL, lastmod) pairs."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for location, lastmod in entries:
        modified = f"<lastmod>{w3c_datetime(lastmod)}</lastmod>" if lastmod else ""
        parts.append(f"<sitemap><loc>{_xml_text(location)}</loc>{modified}</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts)
