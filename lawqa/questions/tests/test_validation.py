"""Bad input gets a clear Chinese message with a stable code, and stores nothing.

Checked through the services and through the ask / answer / accept views.
(The JSON API is covered in lawqa/api/tests/test_questions_api.py.)
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lawqa.questions import services
from lawqa.questions.models import Question

from .helpers import db_state

TITLE = "公司拖欠三个月工资怎么办？"
DETAIL = "入职两年，公司连续三个月没有发工资。"

# (id, title, detail, area, field, code, message)
BAD_QUESTIONS = [
    ("empty-title", "", DETAIL, "labor", "title", "title_required", "请填写问题标题，用一句话概括您的问题"),
    (
        "blank-title",
        "   \n ",
        DETAIL,
        "labor",
        "title",
        "title_required",
        "请填写问题标题，用一句话概括您的问题",
    ),
    (
        "short-title",
        "工资呢",
        DETAIL,
        "labor",
        "title",
        "title_too_short",
        "标题至少需要5个字，请具体描述您的问题",
    ),
    (
        "long-title",
        "工" * 51,
        DETAIL,
        "labor",
        "title",
        "title_too_long",
        "标题最多50个字（现在是51个字），详细情况请写在问题描述里",
    ),
    (
        "oversized-detail",
        TITLE,
        "欠" * 3001,
        "labor",
        "detail",
        "detail_too_long",
        "问题描述最多3000字（现在是3001字），请删减后再提交",
    ),
    (
        "unknown-area",
        TITLE,
        DETAIL,
        "no-such-area",
        "category",
        "unknown_category",
        "请从列表中选择一个专业领域",
    ),
    ("missing-area", TITLE, DETAIL, "", "category", "unknown_category", "请从列表中选择一个专业领域"),
    ("unknown-area-id", TITLE, DETAIL, "99999", "category", "unknown_category", "请从列表中选择一个专业领域"),
]

# What the ask form shows for the same input (the form checks before the service is reached).
FORM_MESSAGES = {
    "empty-title": "请填写问题标题，用一句话概括您的问题",
    "blank-title": "请填写问题标题，用一句话概括您的问题",
    "short-title": "标题至少需要5个字，请具体描述您的问题",
    "long-title": "标题最多50个字",
    "oversized-detail": "问题描述最多3000字，请删减后再提交",
    "unknown-area": "请从列表中选择一个专业领域",
    "missing-area": "请选择一个专业领域",
    "unknown-area-id": "请从列表中选择一个专业领域",
}


@pytest.mark.parametrize(
    ("title", "detail", "area", "field", "code", "message"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD_QUESTIONS],
)
def test_create_question_invalid_input_stores_nothing(asker, title, detail, area, field, code, message):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.create_question(asker=asker, title=title, detail=detail, category=area)

    errors = caught.value.error_dict[field]
    assert [(e.code, e.message) for e in errors] == [(code, message)]
    assert db_state() == before


@pytest.mark.parametrize(
    ("title", "detail", "area", "form_message"),
    [pytest.param(row[1], row[2], row[3], FORM_MESSAGES[row[0]], id=row[0]) for row in BAD_QUESTIONS],
)
def test_ask_view_invalid_input_shows_message_and_stores_nothing(
    client, asker, title, detail, area, form_message
):
    client.force_login(asker)
    before = db_state()

    response = client.post(reverse("questions:ask"), {"title": title, "detail": detail, "category": area})

    assert response.status_code == 200
    assert form_message in response.content.decode()
    assert db_state() == before


def test_create_question_boundary_lengths_accepted(asker, area):
    five = services.create_question(asker=asker, title="工资没发放", detail="", category=area)
    fifty = services.create_question(asker=asker, title="工" * 50, detail="欠" * 3000, category="labor")

    assert (five.title, len(fifty.title), len(fifty.detail)) == ("工资没发放", 50, 3000)
    assert Question.objects.count() == 2


def test_create_question_collapses_whitespace_in_title(asker, area):
    question = services.create_question(asker=asker, title="  公司  拖欠\n工资 ", detail="", category=area)

    assert question.title == "公司 拖欠 工资"


def test_accept_answer_twice_refused_with_message(answer, asker):
    services.accept_answer(answer=answer, by=asker)
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.accept_answer(answer=answer, by=asker)

    assert (caught.value.code, caught.value.message) == ("already_accepted", "您已经采纳了这条回答")
    assert db_state() == before


def test_accept_view_twice_shows_message(client, answer, asker):
    client.force_login(asker)
    client.post(reverse("questions:accept", args=[answer.pk]))
    before = db_state()

    response = client.post(reverse("questions:accept", args=[answer.pk]), follow=True)

    assert response.status_code == 200
    assert "您已经采纳了这条回答" in response.content.decode()
    assert db_state() == before


def test_post_answer_on_closed_question_refused_with_message(question, asker, lawyer):
    services.close_question(question=question, by=asker)
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.post_answer(question=question, lawyer=lawyer, body="可以申请劳动仲裁，要求支付拖欠的工资。")

    assert (caught.value.code, caught.value.message) == ("question_closed", "该问题已关闭，不能再回答")
    assert db_state() == before


def test_answer_view_on_closed_question_shows_message(client, question, asker, lawyer):
    services.close_question(question=question, by=asker)
    client.force_login(lawyer)
    before = db_state()

    response = client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "可以申请劳动仲裁，要求支付拖欠的工资。"},
        follow=True,
    )

    assert response.status_code == 200
    assert "该问题已关闭，不能再回答" in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        pytest.param("太短了", "answer_too_short", "回答至少需要10个字，请给出具体的法律意见", id="short"),
        pytest.param(
            "答" * 10001, "answer_too_long", "回答最多10000字（现在是10001字），请精简后再提交", id="long"
        ),
    ],
)
def test_post_answer_bad_length_refused(question, lawyer, body, code, message):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.post_answer(question=question, lawyer=lawyer, body=body)

    assert [(e.code, e.message) for e in caught.value.error_dict["body"]] == [(code, message)]
    assert db_state() == before


def test_answer_view_short_body_shows_form_error(client, question, lawyer):
    client.force_login(lawyer)
    before = db_state()

    response = client.post(reverse("questions:answer", args=[question.pk]), {"body": "太短了"})

    assert response.status_code == 400
    assert "回答至少需要10个字，请给出具体的法律意见" in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param("", "followup_required", id="empty"),
        pytest.param("问" * 1001, "followup_too_long", id="long"),
    ],
)
def test_add_followup_bad_body_refused(answer, asker, body, code):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.add_followup(answer=answer, author=asker, body=body)

    assert [e.code for e in caught.value.error_dict["body"]] == [code]
    assert db_state() == before


def test_post_answer_same_lawyer_twice_refused_and_nothing_stored(answer, lawyer):
    from lawqa.questions.models import Answer

    with pytest.raises(ValidationError) as info:
        services.post_answer(question=answer.question, lawyer=lawyer, body="再补充一点：可以先申请劳动仲裁。")

    assert info.value.code == "already_answered"
    assert Answer.objects.count() == 1
