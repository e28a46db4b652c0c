"""The sitemap index and every sitemap it lists, checked against the sitemaps.org protocol rules;
robots.txt; noindex on search results."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from lawqa.questions import services as question_services
from lawqa.questions.models import Question
from lawqa.statutes.models import Article, Law

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# W3C Datetime (https://www.w3.org/TR/NOTE-datetime), the forms sitemaps.org accepts for <lastmod>.
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024


def _lastmod_ok(text: str) -> bool:
    if not W3C_DATETIME.match(text):
        return False
    value = dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    return value.year >= 1990


def _check_loc(loc: str) -> str:
    """An absolute http(s) URL on the site's host, entity- and percent-encoded; returns its path."""
    parts = urlsplit(loc)
    assert (parts.scheme, parts.netloc) == ("http", "testserver"), loc
    assert len(loc) < 2048 and loc.isascii() and " " not in loc, loc
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client) -> tuple[list[str], dict[str, list[str]]]:
    """Fetch the index and every sitemap it lists, checking each against the protocol; returns the
    sitemap paths and, per sitemap, the page URLs it lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    index = ET.fromstring(response.content)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = index.findall("sm:sitemap", NS)
    assert 1 <= len(entries) <= MAX_URLS
    sitemaps, listed = [], {}
    for entry in entries:
        assert {child.tag.split("}")[1] for child in entry} <= {"loc", "lastmod"}
        lastmod = entry.find("sm:lastmod", NS)
        assert lastmod is None or _lastmod_ok(lastmod.text), lastmod.text
        path = _check_loc(entry.find("sm:loc", NS).text)
        sitemaps.append(path)
        page = client.get(path)
        assert page.status_code == 200, path
        assert len(page.content) <= MAX_BYTES
        urlset = ET.fromstring(page.content)
        assert urlset.tag == f"{{{NS['sm']}}}urlset"
        urls = urlset.findall("sm:url", NS)
        assert 1 <= len(urls) <= MAX_URLS, path
        listed[path] = []
        for url in urls:
            assert {child.tag.split("}")[1] for child in url} <= {"loc", "lastmod", "changefreq", "priority"}
            lastmod = url.find("sm:lastmod", NS)
            assert lastmod is None or _lastmod_ok(lastmod.text), lastmod.text
            listed[path].append(_check_loc(url.find("sm:loc", NS).text))
    assert len(set(sitemaps)) == len(sitemaps)
    return sitemaps, listed


def test_sitemaps_follow_the_protocol_and_list_every_public_page(client, site, laws):
    sitemaps, listed = crawl(client)

    all_urls = [url for urls in listed.values() for url in urls]
    assert len(set(all_urls)) == len(all_urls)
    visible = [site[k] for k in ("answered", "anonymous", "unanswered")]
    articles = Article.objects.select_related("law")
    expected = {
        *(q.get_absolute_url() for q in visible),
        *(a.get_absolute_url() for a in articles),
        *(law.get_absolute_url() for law in Law.objects.exclude(source_id="marriage")),
        reverse("lawyers:profile", args=[site["lawyer"].pk]),
        reverse("lawyers:profile", args=[site["second_lawyer"].pk]),
        site["answered"].category.get_absolute_url(),
        "/",
    }
    assert expected <= set(all_urls)
    assert site["hidden"].get_absolute_url() not in all_urls
    assert laws["marriage"].get_absolute_url() not in all_urls  # no text: not a landing page
    # Every listed page is there to be crawled.
    for url in sorted(set(all_urls) - {"/"})[:40]:
        assert client.get(url).status_code == 200, url


def test_sitemaps_split_into_pages_of_at_most_the_limit(client, site, settings, asker, area):
    settings.LAWQA_SITEMAP_URLS_PER_FILE = 2
    for i in range(3):
        question_services.create_question(
            asker=asker, title=f"加班费怎么计算第{i}个问题", detail="", category=area
        )

    sitemaps, listed = crawl(client)

    question_pages = [path for path in sitemaps if path.startswith("/sitemap-questions-")]
    visible = Question.objects.visible().order_by("pk")
    assert sum(len(listed[p]) for p in question_pages) == visible.count() == 6
    assert max(len(urls) for urls in listed.values()) == 2
    # Page n holds the questions with ids in ((n-1)·2, n·2]: a hidden one leaves a gap, never a shift.
    for q in visible:
        assert q.get_absolute_url() in listed[f"/sitemap-questions-{(q.pk - 1) // 2 + 1}.xml"]


def test_sitemap_question_lastmod_is_the_question_update_time(client, site):
    response = client.get("/sitemap-questions-1.xml")

    urlset = ET.fromstring(response.content)
    lastmods = {
        urlsplit(url.find("sm:loc", NS).text).path: url.find("sm:lastmod", NS).text
        for url in urlset.findall("sm:url", NS)
    }
    answered = site["answered"]
    assert dt.datetime.fromisoformat(lastmods[answered.get_absolute_url()]) == answered.updated_at.replace(
        microsecond=0
    )


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/sitemap-questions-999.xml", id="page-past-the-end"),
        pytest.param("/sitemap-questions-0.xml", id="page-zero"),
        pytest.param("/sitemap-questions-999999999999999999.xml", id="huge-page"),
        pytest.param("/sitemap-nothing-1.xml", id="unknown-section"),
    ],
)
def test_sitemap_missing_page_is_404(client, site, path):
    assert client.get(path).status_code == 404


def test_sitemap_page_is_one_query_whatever_its_size(client, site, django_assert_num_queries, asker, area):
    for i in range(5):
        question_services.create_question(
            asker=asker, title=f"工伤认定需要多久第{i}次", detail="", category=area
        )

    with django_assert_num_queries(1):
        response = client.get("/sitemap-questions-1.xml")

    assert response.content.count(b"<url>") == 8


def test_sitemap_is_compressed_and_kept_out_of_search_results(client, site):
    response = client.get("/sitemap.xml", HTTP_ACCEPT_ENCODING="gzip")

    assert (response["Content-Encoding"], response["X-Robots-Tag"]) == ("gzip", "noindex, noarchive")


def test_robots_txt_points_at_the_sitemap_index_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    disallowed = {line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow:")}
    assert {"/search/", "/account/", "/admin/", "/api/", "/questions/ask/", "/notifications/"} <= disallowed
    assert "/laws/" not in disallowed and "/questions/" not in disallowed


def test_search_results_carry_noindex_and_no_canonical(client, db):
    html = client.get("/search/", {"q": "工资"}).content.decode()

    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'rel="canonical"' not in html
