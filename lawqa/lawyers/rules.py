"""Who may apply as a lawyer and who verifies applications."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lawqa.accounts.models import User


def can_apply(user: User | None) -> bool:
    """Anyone signed in without a pending or verified application may apply (again after a rejection)."""
    if user is None or not user.is_authenticated:
        return False
    profile = getattr(user, "lawyer_profile", None)
    return profile is None or profile.status == profile.Status.REJECTED


def can_verify(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_site_admin)


def can_use_workspace(user: User | None) -> bool:
    """律师工作台 and the answer form's drafting help: verified lawyers."""
    profile = getattr(user, "lawyer_profile", None) if user is not None and user.is_authenticated else None
    return profile is not None and profile.is_verified
