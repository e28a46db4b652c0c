"""One URL per question (the slug form), canonical links, meta description, OpenGraph and Twitter
card tags, the page language; hashed and compressed static files."""

from __future__ import annotations

import gzip
import re
from html import unescape

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lawqa.questions.models import Question, title_slug
from lawqa.settings import STORAGES as PRODUCTION_STORAGES

BASE = "http://testserver"


def head_tags(html: str) -> dict[str, str]:
    """canonical and <meta> values of a page's <head>, by name or property."""
    head = html.split("</head>")[0]
    tags = {
        m[1]: unescape(m[2])
        for m in re.finditer(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head)
    }
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', head)
    tags["canonical"] = canonical.group(1) if canonical else ""
    return tags


def test_question_url_is_the_slug_form(site):
    question = site["answered"]

    assert question.get_absolute_url() == reverse(
        "questions:detail", kwargs={"pk": question.pk, "slug": "公司拖欠三个月工资怎么办"}
    )
    assert title_slug(question.title) == question.slug == "公司拖欠三个月工资怎么办"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/questions/{pk}/", id="bare-id"),
        pytest.param("/questions/{pk}-wrong-slug/", id="wrong-slug"),
        pytest.param("/questions/{pk}/old-form/", id="old-id-slash-slug"),
    ],
)
def test_other_question_urls_redirect_permanently_to_the_canonical_one(client, site, path):
    question = site["answered"]

    response = client.get(path.format(pk=question.pk))

    assert (response.status_code, response["Location"]) == (301, question.get_absolute_url())


def test_hidden_question_bare_id_is_404_except_for_moderators(client, site, moderator):
    hidden = site["hidden"]

    public = client.get(f"/questions/{hidden.pk}/").status_code
    client.force_login(moderator)
    response = client.get(f"/questions/{hidden.pk}/")

    assert (public, response.status_code, response["Location"]) == (404, 301, hidden.get_absolute_url())


def test_held_question_bare_id_redirects_only_its_asker(client, site, asker, make_user):
    question = site["anonymous"]
    Question.objects.filter(pk=question.pk).update(is_hidden=True, is_held=True)  # waiting for moderation
    client.force_login(make_user())
    stranger = client.get(f"/questions/{question.pk}/").status_code
    client.force_login(asker)

    response = client.get(f"/questions/{question.pk}/")

    assert (stranger, response.status_code, response["Location"]) == (404, 301, question.get_absolute_url())


def test_question_page_head_tags(client, site):
    question = site["answered"]

    tags = head_tags(client.get(question.get_absolute_url()).content.decode())

    canonical = BASE + question.get_absolute_url()
    assert tags["canonical"] == tags["og:url"] == canonical
    assert (
        tags["description"]
        == tags["og:description"]
        == tags["twitter:description"]
        == "入职两年，公司连续三个月没有发工资。"
    )
    assert tags["og:title"] == tags["twitter:title"] == question.title
    assert (tags["og:type"], tags["og:site_name"], tags["og:locale"], tags["twitter:card"]) == (
        "article",
        "法问",
        "zh_CN",
        "summary",
    )


def test_question_without_detail_is_described_by_its_title(client, site):
    question = site["unanswered"]

    tags = head_tags(client.get(question.get_absolute_url()).content.decode())

    assert tags["description"] == question.title


def test_list_page_canonical_keeps_the_page_number_and_drops_filters(client, site, area):
    first = head_tags(client.get(area.get_absolute_url(), {"status": "open"}).content.decode())
    second = head_tags(client.get(area.get_absolute_url(), {"page": "2", "status": "open"}).content.decode())

    assert first["canonical"] == BASE + area.get_absolute_url()
    assert second["canonical"] == f"{BASE}{area.get_absolute_url()}?page=2"


def test_every_page_type_is_chinese(client, site, laws, asker):
    article = laws["civil"].articles.first()
    pages = [
        "/",
        site["answered"].category.get_absolute_url(),
        site["answered"].get_absolute_url(),
        "/search/?q=工资",
        reverse("statutes:index"),
        laws["civil"].get_absolute_url(),
        article.get_absolute_url(),
        reverse("lawyers:directory"),
        reverse("lawyers:profile", args=[site["lawyer"].pk]),
        reverse("privacy:policy"),
    ]
    client.force_login(asker)
    pages += [reverse("questions:ask"), reverse("accounts:account"), reverse("notifications:inbox")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().startswith('<!doctype html>\n<html lang="zh-CN">'), url


def test_collectstatic_writes_hashed_compressed_files_served_for_a_year(tmp_path, settings, db):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = PRODUCTION_STORAGES
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()  # a new handler: WhiteNoise scans the new STATIC_ROOT

    html = client.get("/").content.decode()
    css = re.search(r'<link rel="stylesheet" href="(/static/css/site\.[0-9a-f]{12}\.css)">', html).group(1)
    response = client.get(css, HTTP_ACCEPT_ENCODING="gzip")

    assert (
        (settings.STATIC_ROOT / css.removeprefix(django_settings.STATIC_URL)).with_suffix(".css.gz").exists()
    )
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == (django_settings.BASE_DIR / "lawqa/static/css/site.css").read_bytes()
