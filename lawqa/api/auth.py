"""Who is calling the API, and what they may do: personal access tokens and the browser session.

A program sends `Authorization: Bearer lqa_…` (a token its user made on the account page,
lawqa.accounts.services.create_access_token). A browser page uses its session cookie; a session
write needs the CSRF token (X-CSRFToken), a token write does not (the token is not sent by the
browser on its own, so a forged cross-site request cannot carry it).

Every operation takes one of three `auth=` lists, in this order of precedence:

| list           | who gets through                                     | operations                         |
|----------------|------------------------------------------------------|------------------------------------|
| `PUBLIC`       | anyone; a token or session makes the caller known    | reads of public content, 引用检查    |
| `SIGNED_IN`    | a token (read or write) or a session                 | reads of the caller's own data      |
| `WRITE`        | a write token, or a session with its CSRF token      | everything that changes something   |

A request that carries a bearer token is judged by the token alone (a session cookie next to it
is ignored): revoked, unknown or expired → 401 with the reason; a read token on a write → 403. A
token request also counts against the `api_request` rate limit (per token, user and IP) and
records the token's last use. The token's user becomes `request.user`, so the services, rules,
suspensions (moderation.rules.check_can_write, called by every write service) and rate limits
see the same person as on the site.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from lawqa.accounts import queries as account_queries
from lawqa.accounts import services as account_services
from lawqa.common.ratelimit import check_rate

READ_ONLY_MESSAGE = (
    "这个令牌只有只读（read）权限，不能提交或修改内容。请在“我的账户”页面创建读写（write）权限的令牌"
)


class TokenRejected(AuthenticationError):
    """A bearer token that names no usable token: 401 with the reason (revoked, expired …)."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <个人访问令牌>`; `write=True` also requires the write scope."""

    openapi_description = (
        "个人访问令牌：在“我的账户”页面创建（只显示一次），请求时放在请求头 "
        "Authorization: Bearer <令牌> 中。只读（read）令牌可调用所有读取接口；"
        "读写（write）令牌还可以提问、回答、追问、采纳、投票、举报等。令牌请求无需 CSRF 令牌。"
    )
    openapi_bearerFormat = "lqa_<32个字符>"

    def __init__(self, *, write: bool) -> None:
        self.write = write
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise TokenRejected("请求头 Authorization 的格式应为：Bearer <令牌>")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = account_queries.token_by_secret(account_services.hash_token(token))
        now = timezone.now()
        if row is None or row.revoked_at is not None:
            raise TokenRejected("令牌无效或已被撤销，请在“我的账户”页面创建新的令牌")
        if row.is_expired(now):
            raise TokenRejected("令牌已过期，请在“我的账户”页面创建新的令牌")
        if not row.user.is_active:
            raise TokenRejected("令牌所属的账户已停用")
        request.user = row.user
        request.api_token = row
        check_rate(request, "api_request")
        account_services.record_token_use(token=row, now=now)
        if self.write and not row.can_write:
            raise PermissionDenied(READ_ONLY_MESSAGE)
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser's session cookie; writes also need the CSRF token."""

    openapi_description = (
        "网站登录后的会话 Cookie（供本站网页使用）。提交或修改内容时还需在请求头 X-CSRFToken 中"
        "带上 csrftoken Cookie 的值。"
    )


class _Anyone:
    """The last entry of PUBLIC: lets every caller without a token through as `request.user` —
    the signed-in browser's user (a read needs no CSRF check) or AnonymousUser. Not an AuthBase,
    so ninja does not list it in the schema; `PUBLIC_SECURITY` adds the session and the empty
    requirement that says credentials are optional."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None else AnonymousUser()


_read_token = TokenAuth(write=False)
_write_token = TokenAuth(write=True)
_session = SessionAuth()

PUBLIC: list = [_read_token, _Anyone()]
SIGNED_IN: list[APIKeyCookie | HttpBearer] = [_read_token, _session]
WRITE: list[APIKeyCookie | HttpBearer] = [_write_token, _session]

# `openapi_extra` of a PUBLIC operation: ninja lists the token; this adds the session and the
# empty requirement, which says that no credentials are needed.
PUBLIC_SECURITY = {"security": [{"SessionAuth": []}, {}]}
