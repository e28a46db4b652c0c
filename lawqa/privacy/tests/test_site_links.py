"""Issue 11, finding 6: e-mails link to the one configured site address (LAWQA_SITE_URL), never to
the Host header of the request that caused them, and never with bare paths."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from lawqa.questions import services as question_services

SITE = "https://lawqa.example.cn"


@pytest.fixture
def site(settings):
    settings.LAWQA_SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]  # as in development: any Host header is accepted


def test_password_reset_link_uses_site_url_not_host_header(client, asker, site):
    asker.email = "asker@example.com"
    asker.save()

    client.post(reverse("privacy:password_reset"), {"email": asker.email}, headers={"host": "evil.example"})

    [message] = mail.outbox
    links = re.findall(r"\S+://\S+", message.body)
    assert len(links) == 1
    assert links[0].startswith(f"{SITE}/account/password/reset/")
    assert "evil.example" not in message.body


def test_answer_notification_mail_has_absolute_links(
    asker, question, lawyer, settings, django_capture_on_commit_callbacks
):
    """With the settings as configured (no override): LAWQA_SITE_URL is declared, mails use it."""
    asker.email = "asker@example.com"
    asker.save()

    with django_capture_on_commit_callbacks(execute=True):
        answer = question_services.post_answer(
            question=question, lawyer=lawyer, body="可以向劳动监察大队投诉，也可以申请劳动仲裁。"
        )

    [message] = [m for m in mail.outbox if m.to == [asker.email]]
    links = re.findall(r"(?:https?:/)?/[^\s<>\"]+", message.body)
    assert settings.LAWQA_SITE_URL.startswith("http")
    assert f"{settings.LAWQA_SITE_URL}{answer.get_absolute_url()}" in links
    assert all(link.startswith(settings.LAWQA_SITE_URL) for link in links), links
