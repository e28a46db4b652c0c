"""Writes of the notifications app: create a notification (and its e-mail), mark read."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lawqa.notifications.models import Notification

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    title: str,
    url: str = "",
    question=None,
    email: bool = True,
) -> Notification:
    """Store an in-site notification for `recipient` and, after commit, e-mail it through
    Django's e-mail backend when the user has an address (console backend in development)."""
    note = Notification.objects.create(
        recipient=recipient, kind=kind, title=title[:200], url=url, question=question
    )
    address = getattr(recipient, "email", "")
    if email and address:
        transaction.on_commit(lambda: _send_email(address, title, url))
    return note


def _send_email(address: str, title: str, url: str) -> None:
    base = getattr(settings, "LAWQA_SITE_URL", "").rstrip("/")
    body = f"{title}\n\n{base}{url}\n\n您收到这封邮件，是因为您在法问开启了站内通知。可在「通知」页面查看全部消息。"
    try:
        send_mail(f"法问：{title}"[:120], body, None, [address])
    except OSError:
        # The in-site notification is stored; a mail server outage must not fail the task.
        logger.warning("notification e-mail to recipient failed", exc_info=True)


@transaction.atomic
def mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of `by`'s notifications read (no-op when already read or not theirs)."""
    if notification.recipient_id == by.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
