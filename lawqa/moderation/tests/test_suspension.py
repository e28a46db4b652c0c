"""暂停发言: a suspended user is refused every write with the reason and the end date (services,
pages, API), sees it on the account page; suspensions are logged and end on time or when lifted."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lawqa.moderation import rules, services
from lawqa.moderation.models import ModerationLog, Suspension
from lawqa.questions import services as question_services
from lawqa.questions.tests.helpers import db_state

REASON = "多次在回答中留下微信号招揽客户"


@pytest.fixture
def staff_moderator(moderator):
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save(update_fields=["is_staff", "is_superuser"])
    return moderator


def _suspend(user, by, days=7):
    return services.suspend_user(
        user=user, reason=REASON, ends_at=timezone.now() + dt.timedelta(days=days), by=by
    )


WRITES = {
    "ask": lambda ctx: question_services.create_question(
        asker=ctx["user"], title="公司拖欠工资三个月怎么办", detail="", category=ctx["area"]
    ),
    "followup": lambda ctx: question_services.add_followup(
        answer=ctx["answer"], author=ctx["user"], body="请问需要哪些证据？"
    ),
    "accept": lambda ctx: question_services.accept_answer(answer=ctx["answer"], by=ctx["user"]),
    "vote": lambda ctx: question_services.vote_helpful(answer=ctx["answer"], user=ctx["user"]),
    "close": lambda ctx: question_services.close_question(question=ctx["question"], by=ctx["user"]),
    "follow": lambda ctx: question_services.set_follow(question=ctx["other"], user=ctx["user"], notify=True),
    "supplement": lambda ctx: question_services.add_supplement(
        question=ctx["question"], author=ctx["user"], body="补充：公司已经三个月没发了"
    ),
    "rate": lambda ctx: question_services.rate_answer(
        answer=ctx["answer"], by=ctx["user"], score="satisfied"
    ),
    "report": lambda ctx: services.report_content(reporter=ctx["user"], target=ctx["answer"], reason="spam"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_suspended_asker_every_write_refused_with_reason(
    write, asker, answer, question, area, moderator, make_user
):
    other = question_services.create_question(
        asker=make_user(), title="试用期被辞退有没有补偿", detail="", category=area
    )
    _suspend(asker, moderator)
    before = db_state()

    with pytest.raises(rules.AccountSuspended) as error:
        WRITES[write]({"user": asker, "answer": answer, "question": question, "area": area, "other": other})

    assert REASON in str(error.value)
    assert "截止到" in str(error.value)
    assert db_state() == before


def test_suspended_lawyer_cannot_answer_or_edit(lawyer, answer, asker, area, moderator):
    fresh = question_services.create_question(
        asker=asker, title="加班费应该怎么计算呢", detail="", category=area
    )
    _suspend(lawyer, moderator)
    before = db_state()

    with pytest.raises(rules.AccountSuspended):
        question_services.post_answer(question=fresh, lawyer=lawyer, body="按照劳动法的规定计算加班费。")
    with pytest.raises(rules.AccountSuspended):
        question_services.edit_answer(answer=answer, by=lawyer, body="修改后的回答：可以申请劳动仲裁。")

    assert db_state() == before


def test_suspended_ask_page_shows_reason(client, asker, area, moderator):
    _suspend(asker, moderator)
    client.force_login(asker)

    response = client.post(
        reverse("questions:ask"),
        {"title": "公司拖欠工资三个月怎么办", "detail": "", "category": area.slug, "province": ""},
    )

    assert response.status_code == 403
    assert REASON in response.content.decode()


def test_suspended_api_write_refused_with_reason(client, asker, area, moderator):
    _suspend(asker, moderator)
    client.force_login(asker)

    response = client.post(
        "/api/v1/questions",
        json.dumps({"title": "公司拖欠工资三个月怎么办", "area": area.slug}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert REASON in response.json()["detail"]


def test_account_page_shows_suspension(client, asker, moderator):
    _suspend(asker, moderator)
    client.force_login(asker)

    html = client.get(reverse("accounts:account")).content.decode()

    assert "账户已暂停发言" in html
    assert REASON in html


def test_expired_suspension_allows_writes(asker, area, moderator):
    suspension = _suspend(asker, moderator)
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=timezone.now() - dt.timedelta(minutes=1))

    question = question_services.create_question(
        asker=asker, title="公司拖欠工资三个月怎么办", detail="", category=area
    )

    assert question.pk is not None


def test_lift_suspension_allows_writes_and_logs(asker, area, moderator):
    suspension = _suspend(asker, moderator)

    services.lift_suspension(suspension=suspension, by=moderator)

    assert rules.active_suspension(asker) is None
    assert question_services.create_question(
        asker=asker, title="公司拖欠工资三个月怎么办", detail="", category=area
    )
    assert list(
        ModerationLog.objects.filter(target_type="user").values_list("action", flat=True).order_by("id")
    ) == [
        "suspend",
        "unsuspend",
    ]


@pytest.mark.parametrize(
    ("by_role", "target_role", "allowed"),
    [
        pytest.param("moderator", "asker", True, id="moderator-suspends-asker"),
        pytest.param("moderator", "lawyer", True, id="moderator-suspends-lawyer"),
        pytest.param("moderator", "moderator", False, id="moderator-cannot-suspend-moderator"),
        pytest.param("admin", "moderator", True, id="admin-suspends-moderator"),
        pytest.param("moderator", "admin", False, id="nobody-suspends-admin"),
        pytest.param("asker", "asker", False, id="asker-cannot-suspend"),
    ],
)
def test_suspend_user_permission_matrix(by_role, target_role, allowed, make_user, lawyer):
    by = make_user(role=by_role)
    target = lawyer if target_role == "lawyer" else make_user(role=target_role)
    before = Suspension.objects.count()

    if allowed:
        _suspend(target, by)
        assert Suspension.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            _suspend(target, by)
        assert Suspension.objects.count() == before


def test_suspend_self_refused(moderator):
    with pytest.raises(PermissionDenied):
        _suspend(moderator, moderator)


@pytest.mark.parametrize(
    ("reason", "days", "field"),
    [pytest.param("", 3, "reason", id="no-reason"), pytest.param(REASON, -1, "ends_at", id="end-in-past")],
)
def test_suspend_user_bad_input_refused(reason, days, field, asker, moderator):
    with pytest.raises(ValidationError) as error:
        services.suspend_user(
            user=asker, reason=reason, ends_at=timezone.now() + dt.timedelta(days=days), by=moderator
        )

    assert field in error.value.message_dict
    assert Suspension.objects.count() == 0
    assert ModerationLog.objects.count() == 0


def test_suspension_admin_add_uses_service(client, staff_moderator, asker):
    client.force_login(staff_moderator)
    ends = timezone.localtime() + dt.timedelta(days=3)

    response = client.post(
        reverse("admin:moderation_suspension_add"),
        {
            "user": asker.pk,
            "reason": REASON,
            "ends_at_0": ends.strftime("%Y-%m-%d"),
            "ends_at_1": ends.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302
    suspension = Suspension.objects.get()
    assert (suspension.user_id, suspension.created_by_id, suspension.reason) == (
        asker.pk,
        staff_moderator.pk,
        REASON,
    )
    assert ModerationLog.objects.get().action == "suspend"


def test_suspension_admin_add_in_past_shows_error(client, staff_moderator, asker):
    client.force_login(staff_moderator)

    response = client.post(
        reverse("admin:moderation_suspension_add"),
        {"user": asker.pk, "reason": REASON, "ends_at_0": "2000-01-01", "ends_at_1": "00:00:00"},
    )

    assert response.status_code == 200
    assert "截止时间应晚于现在" in response.content.decode()
    assert Suspension.objects.count() == 0
