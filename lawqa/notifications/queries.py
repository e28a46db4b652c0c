"""Reads of the notifications app."""

from django.db.models import QuerySet

from lawqa.notifications.models import Notification


def inbox(user) -> QuerySet[Notification]:
    """`user`'s notifications, newest first (paginate the result)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_mode(user) -> str:
    """`user`'s e-mail choice (NotificationSettings.EmailMode), instant when never chosen."""
    from lawqa.notifications.models import NotificationSettings

    mode = NotificationSettings.objects.filter(user=user).values_list("email_mode", flat=True).first()
    return mode or NotificationSettings.EmailMode.INSTANT


def digest_recipient_ids() -> list[int]:
    """Users on the daily digest who have at least one notice waiting for it, by id."""
    from lawqa.notifications.models import NotificationSettings

    waiting = Notification.objects.filter(mail_due=True).values("recipient_id")
    return list(
        NotificationSettings.objects.filter(
            email_mode=NotificationSettings.EmailMode.DAILY, user_id__in=waiting
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
