"""Reads of the notifications app."""

from django.db.models import QuerySet

from lawqa.notifications.models import Notification


def inbox(user) -> QuerySet[Notification]:
    """`user`'s notifications, newest first (paginate the result)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
