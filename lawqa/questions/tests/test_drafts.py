"""Ask first, sign up after: a visitor's question is kept (masked) in their session and published
through create_question once they register or log in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lawqa.questions import drafts
from lawqa.questions.models import Question

from .helpers import db_state

TITLE = "公司拖欠三个月工资怎么办？"
DETAIL = "入职两年，公司连续三个月没有发工资。我的电话13812345678。"
PASSWORD = "Wang-Xiao-2024!"


def _ask_as_visitor(client, area, **extra):
    form = {"title": TITLE, "detail": DETAIL, "category": area.slug, "province": "", **extra}
    preview = client.post(reverse("questions:ask"), form)  # masking preview first, as for anyone
    assert "为保护您的隐私" in preview.content.decode()
    return client.post(reverse("questions:ask"), {**form, "masking_seen": "1"})


def _register(client, username="wangxiao"):
    """Register on the page the visitor was sent to (its `next` is the ask page)."""
    return client.post(
        f"{reverse('accounts:register')}?next={reverse('questions:ask')}",
        {"username": username, "nickname": "小王", "password1": PASSWORD, "password2": PASSWORD},
    )


def test_draft_visitor_submit_keeps_masked_draft_in_session_and_asks_to_register(client, area):
    before = db_state()

    response = _ask_as_visitor(client, area)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:register"))
    assert db_state() == before  # nothing published yet
    draft = client.session[drafts.SESSION_KEY]
    assert (draft["title"], draft["category"]) == (TITLE, "labor")
    assert "13812345678" not in draft["detail"]
    page = client.get(response["Location"]).content.decode()
    assert f"「{TITLE}」" in page
    assert "问题会自动发布" in page


def test_draft_published_on_registration_with_confirmation(client, area, django_capture_on_commit_callbacks):
    _ask_as_visitor(client, area, is_anonymous="on")

    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert (question.asker.username, question.title, question.category.slug) == ("wangxiao", TITLE, "labor")
    assert question.is_anonymous
    assert "13812345678" not in question.detail
    assert drafts.SESSION_KEY not in client.session
    page = client.get(question.get_absolute_url()).content.decode()
    assert "您之前填写的问题已发布" in page
    assert 'data-tags="ask-published"' in page  # the autosave script clears the browser copy


def test_draft_published_on_login_of_existing_account(client, area, asker):
    _ask_as_visitor(client, area)

    response = client.post(
        reverse("accounts:login"), {"username": asker.username, "password": "pw-Secret-123"}
    )

    question = Question.objects.get()
    assert response["Location"] == question.get_absolute_url()
    assert question.asker == asker


def test_draft_login_without_draft_goes_where_next_says(client, asker):
    response = client.post(
        reverse("accounts:login") + "?next=/laws/",
        {"username": asker.username, "password": "pw-Secret-123", "next": "/laws/"},
    )

    assert response["Location"] == "/laws/"
    assert Question.objects.count() == 0


def test_draft_older_than_max_age_is_dropped_not_published(client, area, settings):
    _ask_as_visitor(client, area)
    session = client.session
    draft = session[drafts.SESSION_KEY]
    hours = settings.LAWQA_ASK_DRAFT_MAX_AGE_HOURS + 1
    draft["saved_at"] = (timezone.now() - dt.timedelta(hours=hours)).isoformat()
    session[drafts.SESSION_KEY] = draft
    session.save()

    _register(client)

    assert Question.objects.count() == 0
    assert drafts.SESSION_KEY not in client.session


def test_draft_that_cannot_be_published_stays_and_prefills_the_ask_page(client, area):
    _ask_as_visitor(client, area)
    session = client.session
    session[drafts.SESSION_KEY] = {**session[drafts.SESSION_KEY], "category": "no-such-area"}
    session.save()

    response = _register(client)

    assert Question.objects.count() == 0
    assert response["Location"] == reverse("questions:ask")
    page = client.get(reverse("questions:ask")).content.decode()
    assert "您之前填写的问题还没有发布" in page
    assert "这是您之前保存的问题草稿" in page
    assert f'value="{TITLE}"' in page


def test_draft_visitor_invalid_form_saves_nothing(client, area):
    response = client.post(reverse("questions:ask"), {"title": "工资", "category": area.slug})

    assert response.status_code == 200
    assert "标题至少需要5个字" in response.content.decode()
    assert drafts.SESSION_KEY not in client.session


def test_draft_visitor_submissions_rate_limited_by_address(client, area, settings):
    settings.LAWQA_RATE_LIMITS = {**settings.LAWQA_RATE_LIMITS, "ask": (1, 3600)}
    form = {"title": TITLE, "detail": "没有个人信息。", "category": area.slug}
    client.post(reverse("questions:ask"), form)

    response = client.post(reverse("questions:ask"), form)

    assert response.status_code == 429


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_ask_page_has_autosave_form_and_restore_notice(client, asker, signed_in):
    if signed_in:
        client.force_login(asker)

    html = client.get(reverse("questions:ask")).content.decode()

    assert 'data-autosave="lawqa:ask-draft"' in html
    assert "已恢复您上次未提交的草稿" in html  # hidden until the script restores a draft
    assert "<script>" not in html  # the CSP allows no inline script
