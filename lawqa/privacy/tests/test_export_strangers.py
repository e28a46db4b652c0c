"""Issue 11, finding 7: the data export holds the account holder's login records only, never a
stranger's who typed the same username before the account existed or who guessed at it."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from lawqa.accounts.models import User
from lawqa.privacy import queries

STRANGER_IP, STRANGER_AGENT = "203.0.113.7", "StrangerBrowser/1.0"


def _attempt(model, username: str, when, **extra):
    row = model.objects.create(
        username=username,
        ip_address=STRANGER_IP,
        user_agent=STRANGER_AGENT,
        path_info="/account/login/",
        **extra,
    )
    model.objects.filter(pk=row.pk).update(attempt_time=when)


def test_export_leaves_out_failed_logins_from_before_registration(db):
    earlier = timezone.now() - timedelta(days=3)
    _attempt(AccessAttempt, "later_user", earlier, get_data="", post_data="", failures_since_start=1)
    _attempt(AccessFailureLog, "later_user", earlier)
    user = User.objects.create_user(username="later_user", password="pw-Secret-123")

    export = queries.user_data_export(user)

    assert export["login_records"] == {}


def test_export_of_failed_logins_after_registration_has_no_address_or_browser(db):
    user = User.objects.create_user(username="guessed_user", password="pw-Secret-123")
    later = timezone.now() + timedelta(minutes=1)
    _attempt(AccessFailureLog, "guessed_user", later)
    _attempt(AccessLog, "guessed_user", later)

    export = queries.user_data_export(user)

    [failure] = export["login_records"]["axes.AccessFailureLog"]
    assert set(failure) == {"id", "attempt_time", "path_info", "locked_out"}
    [success] = export["login_records"]["axes.AccessLog"]
    assert (success["ip_address"], success["user_agent"]) == (STRANGER_IP, STRANGER_AGENT)
