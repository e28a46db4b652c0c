"""Data export (查阅、复制) and account deletion (删除): every row, every model."""

import io
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from lawqa.accounts.models import User
from lawqa.lawyers.models import LawyerProfile
from lawqa.moderation import services as moderation_services
from lawqa.moderation.models import Report
from lawqa.notifications.models import Notification
from lawqa.privacy import queries, services
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer, AnswerVote, FollowUp, Question

PHONE = "13912345678"
EMAIL = "wang.xiaoming88@example.com"


@pytest.fixture
def person(db):
    return User.objects.create_user(
        username="wangxm_2024",
        password="pw-Secret-123",
        email=EMAIL,
        nickname="王小明明",
        first_name="晓明",
        last_name="欧阳",
        province="浙江",
    )


@pytest.fixture
def rich_history(person, lawyer, client, area, admin_user, django_capture_on_commit_callbacks):
    """The person asks, is answered (notification), follows up, votes, reports, logs in and fails once."""
    with django_capture_on_commit_callbacks(execute=True):
        question = question_services.create_question(
            asker=person,
            title="欧阳晓明问：被拖欠工资怎么办？",
            detail=f"我是王小明明，电话{PHONE}，邮箱{EMAIL}，公司拖欠三个月工资。",
            category=area,
        )
        answer = question_services.post_answer(
            question=question,
            lawyer=lawyer,
            body="王小明明您好：可以先向劳动监察大队投诉，也可以申请劳动仲裁。",
        )
    other = question_services.create_question(
        asker=admin_user, title="另一个人的劳动问题怎么处理", detail="与本人无关", category=area
    )
    other_answer = question_services.post_answer(
        question=other, lawyer=lawyer, body="这是另一条回答，可以申请劳动仲裁解决。"
    )
    question_services.add_followup(answer=answer, author=person, body="王小明明追问：仲裁要多久？")
    question_services.vote_helpful(answer=other_answer, user=person)
    moderation_services.report_content(
        reporter=person, target=other_answer, reason=Report.Reason.OTHER, detail=f"联系我 {PHONE} {EMAIL}"
    )
    client.post(reverse("accounts:login"), {"username": "wangxm_2024", "password": "wrong-password"})
    client.post(reverse("accounts:login"), {"username": "wangxm_2024", "password": "pw-Secret-123"})
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )
    return {"question": question, "answer": answer, "other_answer": other_answer}


def _rows_with_text(needles: list[str]) -> list[str]:
    """Every (model, field, pk) in the database whose text holds one of `needles`."""
    found = []
    for model in apps.get_models():
        text_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField
            )
        ]
        if not text_fields:
            continue
        for obj in model._default_manager.all():
            for field in text_fields:
                value = json.dumps(field.value_from_object(obj), ensure_ascii=False, default=str)
                found += [f"{model._meta.label}.{field.name}#{obj.pk}: {n}" for n in needles if n in value]
    return found


def test_export_contains_every_row_that_names_the_user(person, rich_history):
    data = json.loads(json.dumps(queries.user_data_export(person), default=str))

    for model, field in queries.user_relations():
        expected = set(model._default_manager.filter(**{field.name: person}).values_list("pk", flat=True))
        exported = {row["id"] for row in data["records"].get(f"{model._meta.label}.{field.name}", [])}
        assert exported == expected, (model, field.name)
    assert data["account"]["email"] == EMAIL
    assert "password" not in data["account"]
    assert "axes.AccessLog" in data["login_records"]
    assert data["records"]["questions.Question.asker"][0]["title"] == "欧阳晓明问：被拖欠工资怎么办？"
    assert len(data["records"]["notifications.Notification.recipient"]) == 1


def test_export_of_an_admin_shows_only_the_fact_of_verifying_a_lawyer(admin_user, lawyer):
    data = queries.user_data_export(admin_user)

    rows = data["records"]["lawyers.LawyerProfile.verified_by"]
    assert [set(row) for row in rows] == [{"id", "role", "verified_at", "applied_at"}]


def test_export_view_downloads_json_attachment(client, person, rich_history):
    client.force_login(person)

    response = client.get(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="lawqa-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "wangxm_2024"
    assert data["records"]["questions.FollowUp.author"][0]["body"] == "王小明明追问：仲裁要多久？"


def test_export_view_requires_login(client):
    response = client.get(reverse("privacy:export"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_delete_account_leaves_no_trace_of_email_phone_or_name(person, rich_history):
    needles = ["wangxm_2024", EMAIL, "wang.xiaoming88", PHONE, "王小明明", "晓明", "欧阳"]
    assert _rows_with_text(needles)  # the fixture really stored them

    services.delete_account(user=person)

    assert _rows_with_text(needles) == []


def test_delete_account_keeps_questions_anonymised_and_answers(person, rich_history):
    question, answer = rich_history["question"], rich_history["answer"]

    services.delete_account(user=person)

    question.refresh_from_db()
    assert question.is_anonymous is True
    assert question.asker_display == "匿名用户"
    assert Answer.objects.filter(pk=answer.pk).exists()
    assert FollowUp.objects.filter(answer=answer).count() == 1
    assert "王小明明" not in Answer.objects.get(pk=answer.pk).body_html


def test_delete_account_erases_votes_reports_notifications_and_sessions(person, rich_history, client):
    other_answer = rich_history["other_answer"]
    assert Session.objects.count() == 1

    services.delete_account(user=person)

    assert AnswerVote.objects.filter(user=person).count() == 0
    assert Answer.objects.get(pk=other_answer.pk).helpful_count == 0
    assert Report.objects.filter(reporter=person).count() == 0
    assert Notification.objects.filter(recipient=person).count() == 0
    assert Session.objects.count() == 0
    person.refresh_from_db()
    assert (person.is_active, person.has_usable_password(), person.email, person.province) == (
        False,
        False,
        "",
        "",
    )
    assert client.get(reverse("accounts:account")).status_code == 302  # the old session is gone


def test_delete_account_of_verified_lawyer_keeps_answers_attributed(lawyer, question, profile_of):
    answer = question_services.post_answer(
        question=question, lawyer=lawyer, body="可以申请劳动仲裁，要求支付工资。"
    )
    profile = profile_of(lawyer)
    profile.bio = "电话 13800138000，欢迎咨询"
    profile.save()
    email = "lawyer-x@example.com"
    User.objects.filter(pk=lawyer.pk).update(email=email)
    lawyer.refresh_from_db()

    services.delete_account(user=lawyer)

    profile.refresh_from_db()
    assert Answer.objects.get(pk=answer.pk).lawyer_id == lawyer.pk
    assert (profile.is_verified, profile.bio, profile.real_name) == (True, "", profile.real_name)
    assert _rows_with_text([email, "13800138000", lawyer.username]) == []


def test_delete_account_of_unverified_lawyer_removes_application(unverified_lawyer):
    services.delete_account(user=unverified_lawyer)

    assert LawyerProfile.objects.filter(user=unverified_lawyer).count() == 0


def test_delete_view_with_wrong_password_changes_nothing(client, person, rich_history):
    client.force_login(person)
    before = (
        Question.objects.filter(asker=person, is_anonymous=False).count(),
        User.objects.get(pk=person.pk).email,
    )

    response = client.post(reverse("privacy:delete_account"), {"password": "nope", "confirm": "on"})

    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    after = (
        Question.objects.filter(asker=person, is_anonymous=False).count(),
        User.objects.get(pk=person.pk).email,
    )
    assert after == before


def test_delete_view_with_password_erases_and_logs_out(client, person):
    client.force_login(person)

    response = client.post(reverse("privacy:delete_account"), {"password": "pw-Secret-123", "confirm": "on"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.is_active, person.email) == (False, "")
    assert client.get(reverse("privacy:overview")).status_code == 302


def test_overview_corrects_personal_info(client, person):
    client.force_login(person)

    response = client.post(reverse("privacy:overview"), {"nickname": "小明", "email": "", "province": "上海"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.nickname, person.email, person.province) == ("小明", "", "上海")


def test_overview_lists_what_is_stored(client, person, rich_history):
    client.force_login(person)

    html = client.get(reverse("privacy:overview")).content.decode()

    assert "问题（提问人）：1 条" in html
    assert "登录记录" in html


def test_purge_expired_data_deletes_only_old_login_records(client, asker, settings):
    from axes.models import AccessLog
    from django.utils import timezone

    client.post(reverse("accounts:login"), {"username": asker.username, "password": "pw-Secret-123"})
    old = AccessLog.objects.create(username="someone", ip_address="10.0.0.1", user_agent="x", path_info="/")
    AccessLog.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - timedelta(days=settings.LAWQA_RETENTION_DAYS["login_records"] + 1)
    )
    out = io.StringIO()

    call_command("purge_expired_data", stdout=out)

    assert list(AccessLog.objects.values_list("username", flat=True)) == [asker.username]
    assert "axes.AccessLog: 1" in out.getvalue()


def test_delete_account_erases_queued_password_reset_carrying_the_email(person):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        task_path="lawqa.privacy.tasks.task_send_password_reset",
        args_kwargs={"args": [EMAIL, "lawqa.example.cn", True], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )
    assert _rows_with_text([EMAIL])

    services.delete_account(user=person)

    assert _rows_with_text([EMAIL]) == []
