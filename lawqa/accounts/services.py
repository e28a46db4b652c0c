"""Account writes: registration; personal access tokens for the API (create, revoke, last use)."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lawqa.common.text import TextRule, clean_fields

from . import rules
from .models import AccessToken, User

NICKNAME_RULE = TextRule(field="nickname", label="昵称", max_chars=30)
USERNAME_RULE = TextRule(field="username", label="用户名", min_chars=4, max_chars=150)


@transaction.atomic
def register_user(
    *, username: str, password: str, nickname: str = "", email: str = "", province: str = ""
) -> User:
    """Create an asker account (passwords are hashed with argon2)."""
    cleaned = clean_fields({"username": (username, USERNAME_RULE), "nickname": (nickname, NICKNAME_RULE)})
    return User.objects.create_user(
        username=cleaned["username"],
        password=password,
        nickname=cleaned["nickname"],
        email=email,
        province=province,
        role=User.Role.ASKER,
    )


# --- Personal access tokens (the API's credentials for programs) ---------------------------------

TOKEN_PREFIX = "lqa_"
# Characters of the token kept in clear to tell tokens apart ("lqa_" and 8 random ones).
TOKEN_VISIBLE_CHARS = 12
# Tokens a user may hold at once (not revoked, not expired).
MAX_ACTIVE_TOKENS = 20
# The lifetimes the account page offers, in days (None: until revoked).
TOKEN_LIFETIME_DAYS = (7, 30, 90, 365, None)
# A token's last use is written at most this often (one UPDATE, not one per request).
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)
TOKEN_NAME_RULE = TextRule(
    field="name",
    label="令牌名称",
    min_chars=1,
    max_chars=40,
    code="token_name",
    required_message="请给令牌起个名字，例如“数据分析脚本”，便于日后辨认",
    too_long_message="令牌名称最多40个字（现在是{length}个字）",
)


@dataclass(frozen=True)
class NewToken:
    """A token just created: the row, and the secret shown to the user this once only."""

    token: AccessToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_access_token(*, user: User, name: str, scope: str, expires_in_days: int | None) -> NewToken:
    """Create a personal access token for `user`. Only its SHA-256 is stored: the returned secret
    cannot be shown again. `scope` read lets a program read what the user can read; write also
    lets it post, answer, vote … as the user (each write still passes the same rules, suspensions
    and rate limits as on the site)."""
    if not rules.can_manage_tokens(user):
        raise PermissionDenied("请先登录")
    name = clean_fields({"name": (name, TOKEN_NAME_RULE)})["name"]
    errors = {}
    if scope not in AccessToken.Scope.values:
        errors["scope"] = [ValidationError("请选择令牌权限：只读或读写", code="token_scope")]
    if expires_in_days not in TOKEN_LIFETIME_DAYS:
        errors["expires_in_days"] = [ValidationError("请选择令牌有效期", code="token_lifetime")]
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=user.pk).first()  # concurrent creations count in turn
    now = timezone.now()
    if active_token_count(user=user, now=now) >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            f"每个账户最多同时保留{MAX_ACTIVE_TOKENS}个令牌，请先撤销不再使用的令牌", code="too_many_tokens"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(24)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:TOKEN_VISIBLE_CHARS],
        token_hash=hash_token(secret),
        scope=scope,
        expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return NewToken(token=token, secret=secret)


def active_token_count(*, user: User, now: dt.datetime) -> int:
    return (
        AccessToken.objects.filter(user=user, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .count()
    )


@transaction.atomic
def revoke_access_token(*, token: AccessToken, by: User) -> AccessToken:
    """Revoke `token` (its owner, or a site admin): every later request with it gets 401.
    Revoking a revoked token changes nothing."""
    if not rules.can_revoke_token(by, token):
        raise PermissionDenied("只能撤销自己的令牌")
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def record_token_use(*, token: AccessToken, now: dt.datetime) -> None:
    """Note that `token` was used: one UPDATE at most once per TOKEN_USE_RESOLUTION (a guarded
    single statement, so it needs no transaction of its own)."""
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    AccessToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now
