"""Reports land in the moderation queue (Django admin), where moderators hide or dismiss them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawqa.moderation import services
from lawqa.moderation.models import ModerationLog, Report
from lawqa.questions import services as question_services
from lawqa.questions.tests.helpers import db_state


@pytest.fixture
def staff_moderator(moderator):
    moderator.is_staff = True
    moderator.is_superuser = True  # admin model permissions; the role still says moderator
    moderator.save(update_fields=["is_staff", "is_superuser"])
    return moderator


def test_report_view_files_report_in_queue(client, answer, make_user):
    reporter = make_user()
    client.force_login(reporter)

    response = client.post(
        reverse("moderation:report", args=["answer", answer.pk]),
        {"reason": "spam", "detail": "广告"},
        follow=True,
    )

    report = Report.objects.get()
    assert (report.answer_id, report.reporter_id, report.reason, report.status) == (
        answer.pk,
        reporter.pk,
        "spam",
        Report.Status.OPEN,
    )
    assert "感谢举报，版主会尽快处理。" in response.content.decode()


def test_report_question_and_followup_targets(question, answer, asker, make_user):
    reporter = make_user()
    followup = question_services.add_followup(answer=answer, author=asker, body="仲裁需要多久？")

    services.report_content(reporter=reporter, target=question, reason="privacy")
    services.report_content(reporter=reporter, target=followup, reason="abuse")

    assert [(r.question_id, r.followup_id) for r in Report.objects.order_by("pk")] == [
        (question.pk, None),
        (None, followup.pk),
    ]


def test_report_twice_refused_with_message(answer, make_user):
    reporter = make_user()
    services.report_content(reporter=reporter, target=answer, reason="spam")
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.report_content(reporter=reporter, target=answer, reason="spam")

    assert (caught.value.code, caught.value.message) == (
        "already_reported",
        "您已举报过该内容，我们会尽快处理",
    )
    assert db_state() == before


def test_report_unknown_reason_refused(answer, make_user):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.report_content(reporter=make_user(), target=answer, reason="nonsense")

    assert [e.code for e in caught.value.error_dict["reason"]] == ["reason_required"]
    assert db_state() == before


def test_report_anonymous_view_redirects_to_login(client, answer):
    response = client.post(reverse("moderation:report", args=["answer", answer.pk]), {"reason": "spam"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Report.objects.count() == 0


def test_report_unknown_kind_is_404(client, asker):
    client.force_login(asker)

    response = client.post(reverse("moderation:report", args=["user", 1]), {"reason": "spam"})

    assert response.status_code == 404


def test_report_queue_changelist_renders_open_reports(client, answer, make_user, admin_user):
    services.report_content(reporter=make_user(), target=answer, reason="wrong", detail="引用的法条已废止")
    client.force_login(admin_user)

    response = client.get(reverse("admin:moderation_report_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "内容明显错误或误导" in html
    assert "待处理" in html


def test_report_admin_change_page_renders(client, answer, make_user, admin_user):
    report = services.report_content(reporter=make_user(), target=answer, reason="spam")
    client.force_login(admin_user)

    response = client.get(reverse("admin:moderation_report_change", args=[report.pk]))

    assert response.status_code == 200


def test_report_admin_action_hides_target(client, answer, make_user, staff_moderator):
    report = services.report_content(reporter=make_user(), target=answer, reason="spam")
    client.force_login(staff_moderator)

    response = client.post(
        reverse("admin:moderation_report_changelist"),
        {"action": "hide_targets", "_selected_action": [report.pk]},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    answer.refresh_from_db()
    assert (report.status, report.handled_by_id, answer.is_hidden) == (
        Report.Status.HIDDEN,
        staff_moderator.pk,
        True,
    )
    assert list(ModerationLog.objects.values_list("action", "target_type", "note")) == [
        ("hide", "answer", f"举报#{report.pk}")
    ]


def test_report_admin_action_dismiss_keeps_content(client, question, make_user, admin_user):
    report = services.report_content(reporter=make_user(), target=question, reason="other")
    client.force_login(admin_user)

    client.post(
        reverse("admin:moderation_report_changelist"), {"action": "dismiss", "_selected_action": [report.pk]}
    )

    report.refresh_from_db()
    question.refresh_from_db()
    assert (report.status, question.is_hidden) == (Report.Status.DISMISSED, False)


def test_resolve_report_by_non_moderator_refused(answer, make_user):
    report = services.report_content(reporter=make_user(), target=answer, reason="spam")
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.resolve_report(report=report, by=make_user(), hide=True)

    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert db_state() == before


def test_hide_and_unhide_are_logged(question, moderator):
    services.set_question_hidden(question=question, hidden=True, by=moderator, note="广告")
    services.set_question_hidden(question=question, hidden=False, by=moderator)

    assert list(ModerationLog.objects.order_by("pk").values_list("action", "target_type", "actor_id")) == [
        ("hide", "question", moderator.pk),
        ("unhide", "question", moderator.pk),
    ]


def test_hide_view_unhide_restores_question(client, question, moderator):
    client.force_login(moderator)
    url = reverse("moderation:set_hidden", args=["question", question.pk])

    client.post(url, {"hidden": "1"})
    hidden_public = client.get(question.get_absolute_url()).status_code
    client.post(url, {"hidden": "0"})
    client.logout()

    assert (hidden_public, client.get(question.get_absolute_url()).status_code) == (200, 200)
    question.refresh_from_db()
    assert question.is_hidden is False


def test_hidden_question_leaves_home_and_area_lists(client, question, moderator):
    services.set_question_hidden(question=question, hidden=True, by=moderator)

    home = client.get("/").content.decode()
    area = client.get(question.category.get_absolute_url()).content.decode()

    assert question.title not in home
    assert question.title not in area
