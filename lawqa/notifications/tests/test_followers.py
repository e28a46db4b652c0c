"""Followers and e-mail: a followed question's news reaches its followers through background
tasks in batches (one transaction each), each as they chose (instant mail, daily digest, none);
every mail has absolute links and a signed one-click unsubscribe link."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lawqa.notifications import services
from lawqa.notifications.models import Notification, NotificationSettings
from lawqa.notifications.tasks import task_notify_followers_batch
from lawqa.questions import services as question_services

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"
Mode = NotificationSettings.EmailMode


def run_queue() -> list[str]:
    """Run the READY task rows one by one, oldest first, as the worker does; returns the task
    names in the order they ran (tasks enqueued by a task run after it)."""
    ran = []
    while (
        row := DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at").first()
    ) is not None:
        task = import_string(row.task_path)
        DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.SUCCESSFUL)
        task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        ran.append(row.task_path.rsplit(".", 1)[-1])
    return ran


@pytest.fixture
def followers(question, make_user):
    """`make(n, mode=…)`: n users with an address following `question` in that e-mail mode."""

    def make(n: int, mode: str = Mode.INSTANT, email: bool = True) -> list:
        users = []
        for _ in range(n):
            user = make_user()
            user.email = f"{user.username}@example.com" if email else ""
            user.save(update_fields=["email"])
            if mode != Mode.INSTANT:
                services.set_email_mode(user=user, mode=mode)
            question_services.set_follow(question=question, user=user, notify=True)
            users.append(user)
        return users

    return make


@override_settings(TASKS=DATABASE_TASKS, LAWQA_NOTIFY_BATCH_SIZE=2)
def test_new_answer_reaches_followers_through_batched_tasks(question, lawyer, followers):
    users = followers(5)

    question_services.post_answer(question=question, lawyer=lawyer, body=BODY)
    in_request = DBTaskResult.objects.count()
    ran = run_queue()

    assert in_request == 1  # the request only records the notice task
    assert ran.count("task_notify_followers_batch") == 3  # 5 followers, 2 per batch
    assert sorted(
        Notification.objects.filter(kind=Notification.Kind.FOLLOWED_ANSWER).values_list(
            "recipient_id", flat=True
        )
    ) == sorted(u.pk for u in users)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


@override_settings(TASKS=DATABASE_TASKS, LAWQA_NOTIFY_BATCH_SIZE=2)
def test_followers_batch_run_twice_tells_no_one_twice(question, lawyer, followers):
    users = followers(3)
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=BODY)
    run_queue()
    sent = len(mail.outbox)
    follow_ids = sorted(question.follows.values_list("id", flat=True))

    task_notify_followers_batch.call(f"answer:{answer.pk}", follow_ids[0], follow_ids[-1])
    run_queue()

    assert Notification.objects.filter(event_key=f"answer:{answer.pk}").exclude(
        recipient=question.asker
    ).count() == len(users)
    assert len(mail.outbox) == sent


def test_follower_modes_instant_daily_off(question, lawyer, followers, django_capture_on_commit_callbacks):
    instant, daily, off = followers(1)[0], followers(1, Mode.DAILY)[0], followers(1, Mode.OFF)[0]

    with django_capture_on_commit_callbacks(execute=True):
        question_services.post_answer(question=question, lawyer=lawyer, body=BODY)

    notes = {n.recipient_id: n for n in Notification.objects.filter(kind=Notification.Kind.FOLLOWED_ANSWER)}
    assert set(notes) == {instant.pk, daily.pk, off.pk}  # everyone gets the in-site notice
    assert (notes[instant.pk].mail_due, notes[daily.pk].mail_due, notes[off.pk].mail_due) == (
        False,
        True,
        False,
    )
    assert notes[instant.pk].emailed_at is not None
    assert [m.to for m in mail.outbox if "关注" in m.subject] == [[instant.email]]


def test_follower_without_email_gets_in_site_notice_only(
    question, lawyer, followers, django_capture_on_commit_callbacks
):
    user = followers(1, email=False)[0]

    with django_capture_on_commit_callbacks(execute=True):
        question_services.post_answer(question=question, lawyer=lawyer, body=BODY)

    note = Notification.objects.get(recipient=user)
    assert (note.kind, note.mail_due) == (Notification.Kind.FOLLOWED_ANSWER, False)
    assert all(user.email not in m.to for m in mail.outbox)


def test_hidden_answer_tells_no_follower(
    question, lawyer, moderator, followers, django_capture_on_commit_callbacks
):
    from lawqa.moderation import services as moderation_services

    followers(2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = question_services.post_answer(question=question, lawyer=lawyer, body=BODY)
    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)

    for callback in callbacks:
        callback()

    assert Notification.objects.filter(kind=Notification.Kind.FOLLOWED_ANSWER).count() == 0


def test_answering_lawyer_who_follows_is_not_told_of_own_answer(
    question, lawyer, followers, django_capture_on_commit_callbacks
):
    question_services.set_follow(question=question, user=lawyer, notify=True)

    with django_capture_on_commit_callbacks(execute=True):
        question_services.post_answer(question=question, lawyer=lawyer, body=BODY)

    assert Notification.objects.filter(recipient=lawyer).count() == 0


def test_follower_mail_has_absolute_links_and_unsubscribe_headers(
    settings, question, lawyer, followers, django_capture_on_commit_callbacks
):
    settings.LAWQA_SITE_URL = "https://fawen.example.cn"
    user = followers(1)[0]

    with django_capture_on_commit_callbacks(execute=True):
        answer = question_services.post_answer(question=question, lawyer=lawyer, body=BODY)

    message = next(m for m in mail.outbox if m.to == [user.email])
    unsubscribe = f"https://fawen.example.cn/notifications/unsubscribe/{services.unsubscribe_token(user.pk)}/"
    assert f"https://fawen.example.cn{answer.get_absolute_url()}" in message.body
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.subject == f"法问：您关注的问题「{question.title}」有了新的律师解答"


def test_supplement_tells_answering_lawyers_and_followers(
    question, asker, lawyer, make_lawyer, followers, django_capture_on_commit_callbacks
):
    other_lawyer = make_lawyer()
    question_services.post_answer(question=question, lawyer=lawyer, body=BODY)
    question_services.post_answer(question=question, lawyer=other_lawyer, body=BODY)
    follower = followers(1)[0]
    question_services.set_follow(question=question, user=lawyer, notify=True)  # told once, not twice

    with django_capture_on_commit_callbacks(execute=True):
        supplement = question_services.add_supplement(
            question=question, author=asker, body="补充一下：公司说下个月才能发工资。"
        )

    told = Notification.objects.filter(event_key=f"supplement:{supplement.pk}")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [lawyer.pk, other_lawyer.pk, follower.pk]
    )
    assert told.get(recipient=lawyer).title == f"您解答过的问题「{question.title}」有了提问人的补充说明"
    assert told.get(recipient=follower).url == supplement.get_absolute_url()


def test_rating_tells_the_lawyer(answer, asker, lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question_services.rate_answer(answer=answer, by=asker, score="satisfied", comment="解答很清楚")

    note = Notification.objects.get(recipient=lawyer, kind=Notification.Kind.RATING)
    assert note.title == f"提问人评价了您在「{answer.question.title}」下的回答：满意"


# --- Digest -------------------------------------------------------------------------------------


def test_digest_one_mail_per_daily_user_in_batches(question, lawyer, make_lawyer, followers, settings):
    # All through the `settings` fixture: mixed with @override_settings, its teardown would restore
    # the decorator's TASKS for every later test in this process.
    settings.TASKS = DATABASE_TASKS
    settings.LAWQA_DIGEST_BATCH_SIZE = 2
    settings.LAWQA_SITE_URL = "https://fawen.example.cn"
    daily = followers(3, Mode.DAILY)
    instant = followers(1)[0]
    for law in (lawyer, make_lawyer()):
        question_services.post_answer(question=question, lawyer=law, body=BODY)
    run_queue()
    mail.outbox.clear()

    batches = services.plan_digests()
    ran = run_queue()

    assert (batches, ran) == (2, ["task_send_digest_batch", "task_send_digest_batch"])  # 3 users, 2 per batch
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in daily)
    message = mail.outbox[0]
    assert message.subject == "法问每日摘要：2 条新消息"
    assert message.body.count("https://fawen.example.cn/questions/") == 2
    assert "List-Unsubscribe" in message.extra_headers
    assert Notification.objects.filter(recipient__in=daily, mail_due=True).count() == 0
    assert instant.email not in [m.to[0] for m in mail.outbox]


def test_digest_second_run_sends_nothing_new(question, lawyer, followers, django_capture_on_commit_callbacks):
    user = followers(1, Mode.DAILY)[0]
    with django_capture_on_commit_callbacks(execute=True):
        question_services.post_answer(question=question, lawyer=lawyer, body=BODY)
    mail.outbox.clear()

    first = services.send_digest_batch(user_ids=[user.pk])
    second = services.send_digest_batch(user_ids=[user.pk])

    assert (first, second, len(mail.outbox)) == (1, 0, 1)


def test_digest_lists_at_most_max_items_and_counts_the_rest(asker, make_user):
    user = make_user(email="many@example.com")
    services.set_email_mode(user=user, mode=Mode.DAILY)
    for i in range(services.DIGEST_MAX_ITEMS + 3):
        services.notify(
            recipient=user, kind=Notification.Kind.NEW_QUESTION, title=f"新问题{i}", url=f"/q/{i}/"
        )

    services.send_digest_batch(user_ids=[user.pk])

    body = mail.outbox[0].body
    assert body.count("· 新问题") == services.DIGEST_MAX_ITEMS
    assert "另有 3 条" in body


def test_leaving_daily_digest_drops_what_waited(asker, make_user):
    user = make_user(email="d@example.com")
    services.set_email_mode(user=user, mode=Mode.DAILY)
    services.notify(recipient=user, kind=Notification.Kind.NEW_QUESTION, title="新问题", url="/")

    services.set_email_mode(user=user, mode=Mode.OFF)

    assert Notification.objects.filter(recipient=user, mail_due=True).count() == 0
    assert services.send_digest_batch(user_ids=[user.pk]) == 0


def test_set_email_mode_unknown_refused(asker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.set_email_mode(user=asker, mode="hourly")

    assert caught.value.error_dict["email_mode"][0].code == "invalid_email_mode"
    assert NotificationSettings.objects.count() == 0


# --- Unsubscribe and settings pages ------------------------------------------------------------


def test_unsubscribe_get_shows_confirmation_and_changes_nothing(client, asker):
    url = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(asker.pk)])

    response = client.get(url)

    assert response.status_code == 200
    assert "确认退订" in response.content.decode()
    assert NotificationSettings.objects.filter(user=asker).count() == 0


def test_unsubscribe_post_without_login_turns_mail_off(client, asker):
    url = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(asker.pk)])

    response = client.post(url)

    assert response.status_code == 200
    assert "您已退订法问的全部邮件通知" in response.content.decode()
    assert NotificationSettings.objects.get(user=asker).email_mode == Mode.OFF


def test_unsubscribe_one_click_post_from_mail_client_without_csrf(asker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(asker.pk)])

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert NotificationSettings.objects.get(user=asker).email_mode == Mode.OFF


@pytest.mark.parametrize("token", ["1:forged", "abc", "1"], ids=["bad-signature", "garbage", "unsigned"])
def test_unsubscribe_invalid_token_404_and_nothing_changes(client, asker, token):
    response = client.post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 404
    assert NotificationSettings.objects.count() == 0


def test_unsubscribe_token_of_one_user_cannot_name_another(asker, make_user):
    other = make_user()
    token = services.unsubscribe_token(asker.pk)
    forged = f"{other.pk}:{token.split(':', 1)[1]}"

    assert services.user_id_from_token(token) == asker.pk
    assert services.user_id_from_token(forged) is None


def test_notification_settings_page_saves_choice(client, asker):
    client.force_login(asker)

    response = client.post(reverse("notifications:settings"), {"email_mode": Mode.DAILY})

    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=asker).email_mode == Mode.DAILY
    assert "每日摘要" in client.get(reverse("notifications:settings")).content.decode()


def test_notification_settings_page_rejects_unknown_choice(client, asker):
    client.force_login(asker)

    response = client.post(reverse("notifications:settings"), {"email_mode": "hourly"})

    assert response.status_code == 200
    assert "请选择一种邮件通知方式" in response.content.decode()
    assert NotificationSettings.objects.count() == 0


def test_send_digests_command_records_the_digest_task(db):
    from django.core.management import call_command

    with override_settings(TASKS=DATABASE_TASKS):
        call_command("send_digests")

    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "lawqa.notifications.tasks.task_send_digests"
    ]
