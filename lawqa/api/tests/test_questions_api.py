"""POST /api/v1/questions with session auth + CSRF; reads of the questions API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lawqa.moderation.services import set_question_hidden
from lawqa.questions import services
from lawqa.questions.models import Question
from lawqa.questions.tests.helpers import db_state

URL = "/api/v1/questions"
TITLE = "公司拖欠三个月工资怎么办？"


@pytest.fixture
def csrf_client(asker) -> tuple[Client, str]:
    """A signed-in browser-like client that enforces CSRF, with the token it got from a page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(asker)
    client.get("/")  # the page uses {{ csrf_token }}, which sets the cookie
    return client, client.cookies["csrftoken"].value


def _post(client: Client, payload: dict, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


def test_api_ask_with_session_and_csrf_creates_question(csrf_client, asker):
    client, token = csrf_client

    response = _post(client, {"title": TITLE, "detail": "入职两年。", "area": "labor"}, token)

    assert response.status_code == 201
    body = response.json()
    question = Question.objects.get()
    assert (body["id"], body["title"], body["area"]["slug"], body["status"]) == (
        question.pk,
        TITLE,
        "labor",
        "open",
    )
    assert question.asker == asker
    assert body["url"] == question.get_absolute_url()


def test_api_ask_without_csrf_token_refused(csrf_client):
    client, _ = csrf_client
    before = db_state()

    response = _post(client, {"title": TITLE, "area": "labor"}, None)

    assert response.status_code == 403
    assert db_state() == before


def test_api_ask_anonymous_refused(db):
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    before = db_state()

    response = _post(client, {"title": TITLE, "area": "labor"}, client.cookies["csrftoken"].value)

    assert response.status_code == 401
    assert db_state() == before


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        pytest.param(
            {"title": "", "area": "labor"}, "title", "请填写问题标题，用一句话概括您的问题", id="empty-title"
        ),
        pytest.param(
            {"title": "工资呢", "area": "labor"},
            "title",
            "标题至少需要5个字，请具体描述您的问题",
            id="short-title",
        ),
        pytest.param(
            {"title": TITLE, "detail": "欠" * 3001, "area": "labor"},
            "detail",
            "问题描述最多3000字（现在是3001字），请删减后再提交",
            id="oversized-detail",
        ),
        pytest.param(
            {"title": TITLE, "area": "no-such-area"},
            "area",
            "只能是以下之一：",
            id="unknown-area",
        ),
    ],
)
def test_api_ask_invalid_input_422_with_chinese_message(csrf_client, payload, field, message):
    client, token = csrf_client
    before = db_state()

    response = _post(client, payload, token)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误，请按提示修改"
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0].startswith(message)
    assert db_state() == before


def test_api_list_questions_newest_first_and_hides_hidden(client, asker, area, moderator):
    first = services.create_question(asker=asker, title="第一个问题标题", detail="", category=area)
    second = services.create_question(asker=asker, title="第二个问题标题", detail="", category=area)
    hidden = services.create_question(asker=asker, title="被隐藏的问题标题", detail="", category=area)
    set_question_hidden(question=hidden, hidden=True, by=moderator)

    body = client.get(URL).json()

    assert [item["id"] for item in body["items"]] == [second.pk, first.pk]
    assert body["count"] == 2


def test_api_question_detail_has_answers_and_lawyer(client, answer, profile_of, lawyer):
    body = client.get(f"{URL}/{answer.question_id}").json()

    assert [a["id"] for a in body["answers"]] == [answer.pk]
    assert body["answers"][0]["lawyer"] == {
        "id": lawyer.pk,
        "name": profile_of(lawyer).real_name,
        "verified": True,
        "firm": "北京市某某律师事务所",
        "city": "北京",
        "helped_count": 1,
    }


def test_api_question_detail_hidden_is_404(client, question, moderator):
    set_question_hidden(question=question, hidden=True, by=moderator)

    response = client.get(f"{URL}/{question.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "问题不存在或已被隐藏", "errors": {}}
