"""Who may do what with accounts and their API tokens. Services check these."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import AccessToken, User


def can_manage_tokens(user: User | None) -> bool:
    """Create personal access tokens: any signed-in, active account."""
    return bool(user and user.is_authenticated and user.is_active)


def can_revoke_token(user: User | None, token: AccessToken) -> bool:
    """Revoke a token: its owner, or a site admin (a leaked token reported to us)."""
    return bool(user and user.is_authenticated and (user.pk == token.user_id or user.is_site_admin))
