"""A lawyer edits their own answer: revisions kept, 已编辑 shown, citations re-checked and re-recorded,
text re-masked, the index told; anyone reads the history with an escaped diff (page and API)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawqa.questions import services
from lawqa.questions.models import AnswerRevision
from lawqa.questions.tests.helpers import db_state
from lawqa.questions.tests.test_query_counts import (  # noqa: F401 — the page's fixtures and literal
    QUESTION_PAGE_ANONYMOUS,
    fixed_suggestions,
    page_data,
    search_index,
)
from lawqa.search.models import SearchOutbox
from lawqa.statutes import services as statute_services
from lawqa.statutes.models import Citation
from lawqa.statutes.tests.conftest import library_records

FIRST = "公司拖欠工资的，可以依据《劳动合同法》第三十八条解除劳动合同。"
SECOND = "公司拖欠工资的，可以依据《劳动合同法》第三十八条解除劳动合同，并依据《劳动合同法》第四十六条要求经济补偿。"


@pytest.fixture
def library(db):
    statute_services.reset_law_table()
    statute_services.import_library(records=library_records())
    yield
    statute_services.reset_law_table()


@pytest.fixture
def cited_answer(library, question, lawyer):
    return services.post_answer(question=question, lawyer=lawyer, body=FIRST)


def test_edit_answer_keeps_revisions_and_marks_edited(cited_answer, lawyer):
    services.edit_answer(answer=cited_answer, by=lawyer, body=SECOND)

    cited_answer.refresh_from_db()
    revisions = list(
        AnswerRevision.objects.filter(answer=cited_answer).values_list("number", "body", "editor_id")
    )
    assert revisions == [(1, FIRST, lawyer.pk), (2, SECOND, lawyer.pk)]
    assert cited_answer.body == SECOND
    assert cited_answer.edited_at is not None
    assert "第四十六条" in cited_answer.body_html and 'class="cite cite-ok"' in cited_answer.body_html


def test_edit_answer_rerecords_citations(cited_answer, lawyer):
    before = list(Citation.objects.filter(answer=cited_answer).values_list("number", flat=True))

    services.edit_answer(answer=cited_answer, by=lawyer, body=SECOND)

    after = list(
        Citation.objects.filter(answer=cited_answer).order_by("position").values_list("number", "status")
    )
    assert before == [38]
    assert after == [(38, "ok"), (46, "ok")]


def test_edit_answer_masks_and_tells_index(answer, lawyer):
    outbox = SearchOutbox.objects.filter(question_id=answer.question_id).count()

    services.edit_answer(
        answer=answer, by=lawyer, body="补充：身份证11010519491231002X 的复印件要保留，可以申请仲裁。"
    )

    answer.refresh_from_db()
    assert "110105********002X" in answer.body
    assert "110105********002X" in AnswerRevision.objects.get(answer=answer, number=2).body
    assert SearchOutbox.objects.filter(question_id=answer.question_id).count() == outbox + 1


def test_edit_answer_third_revision_numbers_on(answer, lawyer):
    services.edit_answer(answer=answer, by=lawyer, body="第二版：可以申请劳动仲裁，也可以投诉。")
    services.edit_answer(answer=answer, by=lawyer, body="第三版：可以申请劳动仲裁，也可以向监察大队投诉。")

    assert list(AnswerRevision.objects.filter(answer=answer).values_list("number", flat=True)) == [1, 2, 3]


def test_edit_answer_unchanged_refused(answer, lawyer):
    before = db_state()

    with pytest.raises(ValidationError) as error:
        services.edit_answer(answer=answer, by=lawyer, body=answer.body)

    assert error.value.error_dict["body"][0].code == "answer_unchanged"
    assert db_state() == before
    assert AnswerRevision.objects.count() == 0


@pytest.mark.parametrize("who", ["other_lawyer", "asker", "moderator"])
def test_edit_answer_by_someone_else_refused(who, answer, make_lawyer, asker, moderator):
    user = {"other_lawyer": make_lawyer(), "asker": asker, "moderator": moderator}[who]
    body = answer.body

    with pytest.raises(PermissionDenied):
        services.edit_answer(answer=answer, by=user, body="被别人改掉的回答内容，可以申请仲裁。")

    answer.refresh_from_db()
    assert (answer.body, answer.edited_at) == (body, None)
    assert AnswerRevision.objects.count() == 0


def test_edit_answer_adding_wechat_held(answer, lawyer, question):
    services.edit_answer(answer=answer, by=lawyer, body=answer.body + "详情加我微信 lawyer_wang88")

    answer.refresh_from_db()
    question.refresh_from_db()
    assert (answer.is_hidden, answer.is_held) == (True, True)
    assert answer.holds.get().is_edit is True
    assert question.answer_count == 0


def test_edit_view_flow_shows_edited_mark_and_history(client, cited_answer, lawyer, question):
    client.force_login(lawyer)

    form = client.get(reverse("questions:edit_answer", args=[cited_answer.pk]))
    saved = client.post(
        reverse("questions:edit_answer", args=[cited_answer.pk]),
        {"body": SECOND, "masking_seen": "1"},
        follow=True,
    )
    history = client.get(reverse("questions:answer_history", args=[cited_answer.pk]))

    assert FIRST in form.content.decode()
    page = saved.content.decode()
    assert "回答已修改" in page
    assert "已编辑" in page and reverse("questions:answer_history", args=[cited_answer.pk]) in page
    html = history.content.decode()
    assert "<ins>，并依据《劳动合同法》第四十六条要求经济补偿</ins>" in html
    assert "第2版（当前）" in html


def test_edit_view_other_lawyer_403(client, answer, make_lawyer):
    client.force_login(make_lawyer())

    response = client.post(
        reverse("questions:edit_answer", args=[answer.pk]), {"body": "别人的修改内容，不应保存。"}
    )

    assert response.status_code == 403
    assert AnswerRevision.objects.count() == 0


def test_history_page_escapes_markup(client, answer, lawyer):
    services.edit_answer(answer=answer, by=lawyer, body=answer.body + '<script>alert("x")</script><b>粗</b>')

    html = client.get(reverse("questions:answer_history", args=[answer.pk])).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;" in html


def test_history_page_never_edited_answer(client, answer):
    html = client.get(reverse("questions:answer_history", args=[answer.pk])).content.decode()

    assert "这条回答发布后没有修改过" in html


def test_history_page_hidden_answer_404(client, answer, lawyer, moderator):
    from lawqa.moderation import services as moderation_services

    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)

    assert client.get(reverse("questions:answer_history", args=[answer.pk])).status_code == 404


@pytest.mark.parametrize("edits", [pytest.param(1, id="1-edit"), pytest.param(12, id="12-edits")])
def test_history_page_queries_constant(client, answer, lawyer, edits, django_assert_num_queries):
    for i in range(edits):
        services.edit_answer(
            answer=answer, by=lawyer, body=f"第{i + 2}版：可以申请劳动仲裁，要求支付拖欠的工资。"
        )

    # 1 answer + question + area + lawyer + profile, 2 COUNT of revisions, 3 the page of them,
    # 4 the version before the page's oldest (only when the page does not reach version 1).
    expected = 3 if edits + 1 <= 10 else 4
    with django_assert_num_queries(expected):
        response = client.get(reverse("questions:answer_history", args=[answer.pk]))

    assert len(response.context["versions"]) == min(edits + 1, 10)


@pytest.mark.parametrize("edits", [pytest.param(0, id="never-edited"), pytest.param(8, id="8-edits")])
def test_question_page_queries_same_with_many_revisions(
    client, request, question, make_user, edits, django_assert_num_queries
):
    lawyers = request.getfixturevalue("page_data")(2, make_user())
    answer = question.answers.get(lawyer=lawyers[0])
    for i in range(edits):
        services.edit_answer(
            answer=answer, by=lawyers[0], body=f"第{i + 2}版：可以申请劳动仲裁，要求支付拖欠的工资。"
        )
    cache.clear()

    with django_assert_num_queries(QUESTION_PAGE_ANONYMOUS):
        response = client.get(question.get_absolute_url())

    assert ("已编辑" in response.content.decode()) == bool(edits)


def test_api_edit_answer_and_read_revisions(client, cited_answer, lawyer):
    client.force_login(lawyer)

    edited = client.patch(
        f"/api/v1/answers/{cited_answer.pk}", json.dumps({"body": SECOND}), content_type="application/json"
    )
    client.logout()
    history = client.get(f"/api/v1/answers/{cited_answer.pk}/revisions")

    assert edited.status_code == 200
    assert (edited.json()["held"], edited.json()["body"]) == (False, SECOND)
    items = history.json()["items"]
    assert [r["number"] for r in items] == [2, 1]
    assert {"op": "insert", "text": "，并依据《劳动合同法》第四十六条要求经济补偿"} in items[0]["diff"]
    assert items[1]["diff"] == []


def test_api_edit_answer_by_other_lawyer_403(client, answer, make_lawyer):
    client.force_login(make_lawyer())

    response = client.patch(
        f"/api/v1/answers/{answer.pk}",
        json.dumps({"body": "别人的修改内容，不应保存。"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert AnswerRevision.objects.count() == 0


def test_api_edit_answer_anonymous_401(client, answer):
    response = client.patch(
        f"/api/v1/answers/{answer.pk}",
        json.dumps({"body": "匿名的修改内容，不应保存。"}),
        content_type="application/json",
    )

    assert response.status_code == 401


def test_asker_account_deletion_scrubs_name_from_history(question, lawyer, asker):
    from lawqa.privacy import services as privacy_services

    answer = services.post_answer(question=question, lawyer=lawyer, body="小王您好，可以申请劳动仲裁。")
    services.edit_answer(answer=answer, by=lawyer, body="小王您好，可以申请劳动仲裁，也可以投诉。")

    privacy_services.delete_account(user=asker)

    bodies = list(AnswerRevision.objects.filter(answer=answer).values_list("body", flat=True))
    assert len(bodies) == 2
    assert all("小王" not in body for body in bodies)
