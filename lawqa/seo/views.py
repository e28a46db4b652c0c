"""robots.txt, the sitemap index and the sitemap pages.

Sitemaps are cached whole (gzip-compressed) for LAWQA_SITEMAP_CACHE_SECONDS: a crawler fetching
all of them costs one generation per page per period, whatever the crawl rate.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from .sitemaps import SECTIONS, sitemapindex_xml, urlset_xml

XML = "application/xml; charset=utf-8"


def _sitemap_cache(view):
    """Cache the compressed response: the cache holds gzip bytes, ten times smaller than the XML."""
    cached = cache_page(settings.LAWQA_SITEMAP_CACHE_SECONDS, key_prefix="sitemap")(gzip_page(view))

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = cached(request, *args, **kwargs)
        # The files are for crawlers, not for search results (as django.contrib.sitemaps does).
        response["X-Robots-Tag"] = "noindex, noarchive"
        return response

    return wrapper


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    context = {"sitemap_url": request.build_absolute_uri(reverse("seo:sitemap_index"))}
    response = render(request, "seo/robots.txt", context, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
@_sitemap_cache
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: every non-empty page of every section, with its newest lastmod."""
    entries = []
    for name, section in SECTIONS.items():
        for number, lastmod in section().pages():
            path = reverse("seo:sitemap", kwargs={"section": name, "page": number})
            entries.append((request.build_absolute_uri(path), lastmod))
    return HttpResponse(sitemapindex_xml(entries), content_type=XML)


@require_GET
@_sitemap_cache
def sitemap(request: HttpRequest, section: str, page: int) -> HttpResponse:
    """One page of one section: at most LAWQA_SITEMAP_URLS_PER_FILE absolute URLs."""
    if section not in SECTIONS:
        raise Http404("没有这个网站地图")
    try:
        urls = SECTIONS[section]().get_urls(page=page, site=RequestSite(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("网站地图没有这一页") from None
    if not urls:  # the protocol's schema wants at least one <url> in a <urlset>
        raise Http404("网站地图没有这一页")
    return HttpResponse(urlset_xml(urls), content_type=XML)
