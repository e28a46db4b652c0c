"""Reads of the accounts app: the API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AccessToken, User


def user_tokens(user: User) -> QuerySet[AccessToken]:
    """The user's tokens not revoked (expired ones too, marked by `expires_at`), newest first."""
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")


def token_by_secret(token_hash: str) -> AccessToken | None:
    """The token with this SHA-256, with its user (and the user's lawyer profile, which the
    permission rules read) in the same query; revoked and expired ones too (the caller refuses
    them with their own message)."""
    return (
        AccessToken.objects.select_related("user", "user__lawyer_profile")
        .filter(token_hash=token_hash)
        .first()
    )
