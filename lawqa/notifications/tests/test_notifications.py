"""Notifications: new-answer notice, inbox, unread count, reading."""

import pytest
from django.core import mail
from django.urls import reverse

from lawqa.notifications import services
from lawqa.notifications.models import Notification
from lawqa.questions import services as question_services


def _note(user, title="新问题", url="/"):
    return services.notify(recipient=user, kind=Notification.Kind.NEW_QUESTION, title=title, url=url)


def test_post_answer_notifies_the_asker(question, lawyer, django_capture_on_commit_callbacks):
    question.asker.email = "asker@example.com"
    question.asker.save()

    with django_capture_on_commit_callbacks(execute=True):
        answer = question_services.post_answer(
            question=question, lawyer=lawyer, body="可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"
        )

    note = Notification.objects.get(recipient=question.asker)
    assert note.kind == Notification.Kind.NEW_ANSWER
    assert note.url == answer.get_absolute_url()
    assert mail.outbox[0].to == ["asker@example.com"]


def test_notify_without_email_address_sends_no_mail(asker, django_capture_on_commit_callbacks):
    asker.email = ""
    asker.save()

    with django_capture_on_commit_callbacks(execute=True):
        _note(asker)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=asker).count() == 1


def test_header_shows_unread_count(client, asker):
    _note(asker)
    _note(asker)
    client.force_login(asker)

    response = client.get(reverse("home"))

    assert "2条未读" in response.content.decode()


def test_open_notification_marks_read_and_redirects(client, asker):
    note = _note(asker, url="/questions/1/")
    client.force_login(asker)

    response = client.get(reverse("notifications:open", args=[note.pk]))

    note.refresh_from_db()
    assert response.status_code == 302
    assert response.url == "/questions/1/"
    assert note.is_read


def test_open_someone_elses_notification_is_404(client, asker, make_user):
    note = _note(make_user())
    client.force_login(asker)

    response = client.get(reverse("notifications:open", args=[note.pk]))

    note.refresh_from_db()
    assert response.status_code == 404
    assert not note.is_read


def test_read_all_marks_every_notification_read(client, asker):
    _note(asker)
    _note(asker)
    client.force_login(asker)

    client.post(reverse("notifications:read_all"))

    assert Notification.objects.filter(recipient=asker, read_at__isnull=True).count() == 0


def test_inbox_requires_login(client):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302


@pytest.mark.parametrize("n", [1, 3])
def test_inbox_query_count_constant(client, asker, n, django_assert_num_queries):
    for i in range(n):
        _note(asker, title=f"通知{i}")
    client.force_login(asker)

    # session, user, profile (header), page count, page rows, unread count
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["notifications"]) == n
