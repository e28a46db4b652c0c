"""Who may post, and who may moderate. Every write service calls `check_can_write(user)` first:
a suspended user is refused with the reason and the end date, whatever the entry point (form,
htmx, API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .models import Suspension

if TYPE_CHECKING:
    from lawqa.accounts.models import User


class AccountSuspended(PermissionDenied):
    """A write refused because the account is suspended; str() is the message the user sees."""

    def __init__(self, suspension: Suspension) -> None:
        self.suspension = suspension
        super().__init__(suspension_message(suspension))


def suspension_message(suspension: Suspension) -> str:
    ends = timezone.localtime(suspension.ends_at)
    return (
        f"您的账户已被暂停发言，截止到{ends:%Y年%m月%d日 %H:%M}。原因：{suspension.reason}。"
        "暂停期间不能提问、回答、追问、评价或投票，浏览不受影响；如有异议，请联系网站管理员。"
    )


def active_suspension(user: User | None) -> Suspension | None:
    """The user's suspension in force now (the one ending last), or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Suspension.objects.filter(user_id=user.pk, lifted_at__isnull=True, ends_at__gt=timezone.now())
        .order_by("-ends_at")
        .first()
    )


def check_can_write(user: User | None) -> None:
    """Raise AccountSuspended when `user` is suspended; anonymous users are left to the caller's
    own rule (they are refused there with a "please sign in")."""
    suspension = active_suspension(user)
    if suspension is not None:
        raise AccountSuspended(suspension)


def can_moderate(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_moderator)


def is_exempt_from_screening(user: User | None) -> bool:
    """Moderators and admins publish without the spam rules and premoderation."""
    return can_moderate(user)


def can_suspend(by: User | None, user: User) -> bool:
    """Moderators suspend askers and lawyers; only a site admin suspends a moderator; nobody
    suspends themselves or a site admin."""
    if not can_moderate(by) or by.pk == user.pk or user.is_site_admin:
        return False
    return not user.is_moderator or by.is_site_admin
