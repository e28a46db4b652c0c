"""Issue 11, finding 8: the moderation audit log is read-only in the admin, for superusers too."""

from __future__ import annotations

import pytest

from lawqa.moderation.models import ModerationLog

ADMIN = "/admin/moderation/moderationlog/"


@pytest.fixture
def entry(admin_user):
    return ModerationLog.objects.create(actor=admin_user, action="hide", target_type="question", target_id=1)


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_audit_log_admin_add_refused(admin_client_, admin_user):
    form = {
        "action": "forged",
        "target_type": "question",
        "target_id": "7",
        "note": "x",
        "actor": admin_user.pk,
    }

    response = admin_client_.post(f"{ADMIN}add/", form)

    assert response.status_code == 403
    assert ModerationLog.objects.count() == 0


def test_audit_log_admin_change_refused(admin_client_, entry):
    response = admin_client_.post(
        f"{ADMIN}{entry.pk}/change/", {"action": "edited", "target_type": "question", "target_id": "1"}
    )

    entry.refresh_from_db()
    assert response.status_code == 403
    assert entry.action == "hide"


def test_audit_log_admin_delete_refused(admin_client_, entry):
    response = admin_client_.post(f"{ADMIN}{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert ModerationLog.objects.filter(pk=entry.pk).exists()


def test_audit_log_admin_lists_and_shows_entries(admin_client_, entry):
    assert admin_client_.get(ADMIN).status_code == 200
    assert admin_client_.get(f"{ADMIN}{entry.pk}/change/").status_code == 200  # read-only view
