"""RSS 2.0 and Atom 1.0 feeds, parsed with feedparser; the pages link to them."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from lawqa.questions.models import Answer, Question

FEEDS = [
    pytest.param("seo:feed_questions", "rss20", id="questions-rss"),
    pytest.param("seo:feed_questions_atom", "atom10", id="questions-atom"),
    pytest.param("seo:feed_answers", "rss20", id="answers-rss"),
    pytest.param("seo:feed_answers_atom", "atom10", id="answers-atom"),
]


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _check_entries(feed) -> None:
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/")
        assert entry.title and entry.id and entry.published_parsed and entry.summary


@pytest.mark.parametrize(("name", "version"), FEEDS)
def test_site_feeds_validate(client, site, name, version):
    feed = parse(client, reverse(name))

    assert feed.version == version
    assert feed.feed.title.startswith("法问：")
    assert feed.feed.link == "http://testserver/"
    _check_entries(feed)


def test_questions_feed_lists_visible_questions_newest_first_with_masked_text(client, site):
    feed = parse(client, reverse("seo:feed_questions"))

    expected = list(Question.objects.visible().order_by("-created_at", "-id"))
    assert [e.title for e in feed.entries] == [q.title for q in expected]
    assert [e.link for e in feed.entries] == [f"http://testserver{q.get_absolute_url()}" for q in expected]
    assert site["hidden"].title not in {e.title for e in feed.entries}
    anonymous = next(e for e in feed.entries if e.title == site["anonymous"].title)
    assert anonymous.author == "匿名用户"
    assert "13812345678" not in anonymous.summary
    assert site["anonymous"].detail.split("。")[0] in anonymous.summary  # the stored, masked text


@pytest.mark.parametrize("name", ["seo:feed_questions", "seo:feed_questions_atom", "seo:feed_area"])
def test_anonymous_asker_name_appears_in_no_feed(client, site, asker, name):
    args = [site["anonymous"].category.slug] if name == "seo:feed_area" else []
    feed = parse(client, reverse(name, args=args))

    entry = next(e for e in feed.entries if e.title == site["anonymous"].title)
    assert entry.author == "匿名用户"
    assert asker.display_name not in str(entry) and asker.username not in str(entry)


def test_answers_feed_lists_visible_answers_with_lawyer_and_question(client, site):
    feed = parse(client, reverse("seo:feed_answers_atom"))

    answers = list(Answer.objects.visible().filter(question__is_hidden=False).order_by("-pk"))
    assert [e.link for e in feed.entries] == [f"http://testserver{a.get_absolute_url()}" for a in answers]
    accepted = site["accepted_answer"]
    entry = next(e for e in feed.entries if e.link.endswith(f"#answer-{accepted.pk}"))
    assert entry.author == accepted.lawyer.lawyer_profile.real_name
    assert entry.title == f"{accepted.lawyer.lawyer_profile.real_name}律师回答：{site['answered'].title}"


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_area_feed_validates_and_holds_only_its_area(client, site, make_user, atom):
    from lawqa.questions import services

    services.create_question(
        asker=make_user(), title="交通事故对方全责怎么赔偿", detail="", category="traffic"
    )
    area = site["answered"].category
    name = "seo:feed_area_atom" if atom else "seo:feed_area"

    feed = parse(client, reverse(name, args=[area.slug]))

    assert feed.version == ("atom10" if atom else "rss20")
    assert feed.feed.link == f"http://testserver{area.get_absolute_url()}"
    assert {e.title for e in feed.entries} == set(
        Question.objects.visible().filter(category=area).values_list("title", flat=True)
    )
    _check_entries(feed)


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_lawyer_feed_validates_and_holds_only_their_answers(client, site, atom):
    lawyer = site["second_lawyer"]
    name = "seo:feed_lawyer_atom" if atom else "seo:feed_lawyer"

    feed = parse(client, reverse(name, args=[lawyer.pk]))

    assert feed.version == ("atom10" if atom else "rss20")
    assert [e.link for e in feed.entries] == [f"http://testserver{site['other_answer'].get_absolute_url()}"]
    assert feed.entries[0].summary == "<p>建议保留工资条和考勤记录，作为仲裁证据。</p>"


def test_unverified_lawyer_and_unknown_area_have_no_feed(client, site, unverified_lawyer):
    assert client.get(reverse("seo:feed_lawyer", args=[unverified_lawyer.pk])).status_code == 404
    assert client.get(reverse("seo:feed_area", args=["no-such-area"])).status_code == 404


def test_feed_is_one_query(client, site, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("seo:feed_answers"))


def test_pages_link_their_feeds(client, site):
    area = site["answered"].category
    lawyer = site["lawyer"]
    pages = {
        "home": (reverse("home"), []),
        "area": (area.get_absolute_url(), [reverse("seo:feed_area", args=[area.slug])]),
        "question": (site["answered"].get_absolute_url(), [reverse("seo:feed_area", args=[area.slug])]),
        "lawyer": (
            reverse("lawyers:profile", args=[lawyer.pk]),
            [reverse("seo:feed_lawyer", args=[lawyer.pk]), reverse("seo:feed_lawyer_atom", args=[lawyer.pk])],
        ),
    }
    for name, (url, own_feeds) in pages.items():
        html = client.get(url).content.decode()
        for feed in [reverse("seo:feed_questions"), reverse("seo:feed_questions_atom"), *own_feeds]:
            assert f'href="{feed}"' in html, (name, feed)
        assert 'rel="alternate" type="application/rss+xml"' in html
