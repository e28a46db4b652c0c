"""Personal access tokens: made and revoked on the account page (stored hashed, shown once, read or
write, optional expiry, last use), and how the API treats them (401 / 403 with the reason,
no CSRF, suspensions, rate limits per token)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lawqa.accounts import services as account_services
from lawqa.accounts.models import AccessToken
from lawqa.moderation import services as moderation_services
from lawqa.privacy import queries as privacy_queries
from lawqa.privacy import services as privacy_services
from lawqa.questions.models import Question
from lawqa.questions.tests.helpers import db_state

from .conftest import TokenClient

ASK = {"title": "公司拖欠三个月工资怎么办？", "detail": "入职两年。", "area": "labor"}
SECRET_PATTERN = re.compile(r'id="new-token"[^>]*value="(lqa_[A-Za-z0-9_-]{32})"')


def _create_on_page(client: Client, **form) -> tuple[int, str]:
    response = client.post(
        reverse("accounts:create_token"),
        {"name": "数据脚本", "scope": "write", "expires_in_days": "30", **form},
    )
    return response.status_code, response.content.decode()


# --- The account page -----------------------------------------------------------------------------


def test_account_page_creates_token_shown_once_stored_hashed(client, asker):
    client.force_login(asker)

    status, html = _create_on_page(client)

    assert status == 200
    secret = SECRET_PATTERN.search(html).group(1)
    token = AccessToken.objects.get()
    assert (token.user, token.name, token.scope) == (asker, "数据脚本", "write")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert secret not in {f.value_from_object(token) for f in AccessToken._meta.fields}
    assert dt.timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    again = client.get(reverse("accounts:account")).content.decode()
    assert secret not in again
    assert f"{token.prefix}…" in again


def test_account_page_token_response_not_cached(client, asker):
    client.force_login(asker)

    response = client.post(reverse("accounts:create_token"), {"name": "脚本", "scope": "read"})

    assert "no-store" in response["Cache-Control"]


def test_account_page_token_without_expiry(client, asker):
    client.force_login(asker)

    _create_on_page(client, expires_in_days="", scope="read")

    assert AccessToken.objects.get().expires_at is None
    assert AccessToken.objects.get().scope == "read"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        pytest.param({"name": ""}, "请给令牌起个名字", id="no-name"),
        pytest.param({"name": "\u200b\u200b"}, "请给令牌起个名字", id="invisible-name"),
        pytest.param({"scope": "admin"}, "请选择令牌权限", id="bad-scope"),
        pytest.param({"expires_in_days": "5"}, "请选择令牌有效期", id="bad-lifetime"),
    ],
)
def test_account_page_token_bad_input_400_nothing_created(client, asker, form, message):
    client.force_login(asker)

    status, html = _create_on_page(client, **form)

    assert status == 400
    assert message in html
    assert AccessToken.objects.count() == 0


def test_account_page_token_limit_per_user(client, asker, make_token):
    for _ in range(account_services.MAX_ACTIVE_TOKENS):
        make_token(asker)
    client.force_login(asker)

    status, html = _create_on_page(client)

    assert status == 400
    assert "最多同时保留20个令牌" in html
    assert AccessToken.objects.count() == account_services.MAX_ACTIVE_TOKENS


def test_account_page_revokes_own_token(client, asker, make_token):
    make_token(asker)
    token = AccessToken.objects.get()
    client.force_login(asker)

    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.prefix not in client.get(reverse("accounts:account")).content.decode()


def test_account_page_cannot_revoke_someone_elses_token(client, asker, make_user, make_token):
    make_token(make_user())
    token = AccessToken.objects.get()
    client.force_login(asker)

    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))

    assert response.status_code == 404
    assert AccessToken.objects.get().revoked_at is None


def test_account_page_token_form_needs_login(client, db):
    response = client.post(reverse("accounts:create_token"), {"name": "脚本", "scope": "read"})

    assert response.status_code == 302
    assert AccessToken.objects.count() == 0


# --- The API with a token -------------------------------------------------------------------------


def test_api_token_identifies_user_and_records_last_use(asker, make_token):
    api = TokenClient(make_token(asker, "read"))

    body = api.get("/me").json()

    token = AccessToken.objects.get()
    assert (body["username"], body["token"]["prefix"], body["token"]["scope"]) == (
        asker.username,
        token.prefix,
        "read",
    )
    assert token.last_used_at is not None


def test_api_write_token_writes_without_csrf(asker, make_token):
    api = TokenClient(make_token(asker, "write"))

    response = api.post("/questions", ASK)

    assert response.status_code == 201
    assert Question.objects.get().asker == asker


def test_api_read_token_cannot_write_403_chinese(asker, make_token):
    api = TokenClient(make_token(asker, "read"))
    before = db_state()

    response = api.post("/questions", ASK)

    assert response.status_code == 403
    assert response.json()["detail"].startswith("这个令牌只有只读（read）权限")
    assert db_state() == before


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        pytest.param(
            lambda t: t.__class__.objects.filter(pk=t.pk).update(revoked_at=timezone.now()),
            "撤销",
            id="revoked",
        ),
        pytest.param(
            lambda t: t.__class__.objects.filter(pk=t.pk).update(
                expires_at=timezone.now() - dt.timedelta(seconds=1)
            ),
            "过期",
            id="expired",
        ),
        pytest.param(
            lambda t: t.user.__class__.objects.filter(pk=t.user_id).update(is_active=False),
            "停用",
            id="inactive",
        ),
    ],
)
def test_api_unusable_token_401_with_reason(asker, make_token, spoil, message):
    api = TokenClient(make_token(asker, "write"))
    spoil(AccessToken.objects.get())
    before = db_state()

    read = api.get("/me")
    write = api.post("/questions", ASK)

    assert (read.status_code, write.status_code) == (401, 401)
    assert message in read.json()["detail"]
    assert read["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'
    assert db_state() == before


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Bearer lqa_" + "x" * 32, id="unknown"),
        pytest.param("Bearer ", id="empty"),
        pytest.param("Token lqa_abc", id="other-scheme"),
    ],
)
def test_api_bad_authorization_header_401(db, header):
    response = Client().get("/api/v1/questions/latest", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["detail"] in {
        "令牌无效或已被撤销，请在“我的账户”页面创建新的令牌",
        "请求头 Authorization 的格式应为：Bearer <令牌>",
    }


def test_api_public_read_needs_no_credentials(db):
    response = Client().get("/api/v1/questions/latest")

    assert response.status_code == 200


def test_api_signed_in_read_without_credentials_401(db):
    response = Client().get("/api/v1/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_api_token_wins_over_session_cookie(client, asker, make_user, make_token):
    """A request with a token is judged by the token: a revoked one is refused even when the
    browser also sends a session cookie."""
    other = make_user()
    secret = make_token(other, "write")
    AccessToken.objects.update(revoked_at=timezone.now())
    client.force_login(asker)

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401


def test_api_session_write_still_needs_csrf(asker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(asker)
    before = db_state()

    response = client.post("/api/v1/questions", json.dumps(ASK), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert db_state() == before


def test_api_suspended_users_token_cannot_write(asker, moderator, make_token):
    api = TokenClient(make_token(asker, "write"))
    moderation_services.suspend_user(
        user=asker, reason="发布广告", ends_at=timezone.now() + dt.timedelta(days=3), by=moderator
    )
    before = db_state()

    write = api.post("/questions", ASK)
    read = api.get("/me/questions")

    assert write.status_code == 403
    assert write.json()["detail"].startswith("您的账户已被暂停发言")
    assert read.status_code == 200
    assert db_state() == before


def test_api_revoke_own_token_then_401(asker, make_token):
    api = TokenClient(make_token(asker, "write"))
    token = AccessToken.objects.get()

    revoked = api.delete(f"/me/tokens/{token.pk}")
    after = api.get("/me")

    assert revoked.status_code == 200
    assert revoked.json()["id"] == token.pk
    assert after.status_code == 401
    assert AccessToken.objects.get().revoked_at is not None


def test_api_cannot_revoke_someone_elses_token_404(asker, make_user, make_token):
    api = TokenClient(make_token(asker, "write"))
    make_token(make_user())
    theirs = AccessToken.objects.exclude(user=asker).get()

    response = api.delete(f"/me/tokens/{theirs.pk}")

    assert response.status_code == 404
    assert AccessToken.objects.get(pk=theirs.pk).revoked_at is None


def test_api_token_list_shows_prefixes_not_secrets(asker, make_token):
    secret = make_token(asker, "read")

    body = TokenClient(secret).get("/me/tokens").json()

    assert [t["prefix"] for t in body] == [secret[:12]]
    assert secret not in json.dumps(body)


def test_api_requests_rate_limited_per_token(settings, asker, make_token):
    settings.LAWQA_RATE_LIMITS = {**settings.LAWQA_RATE_LIMITS, "api_request": (2, 3600)}
    api = TokenClient(make_token(asker, "read"))

    statuses = [api.get("/questions/latest").status_code for _ in range(3)]
    anonymous = Client().get("/api/v1/questions/latest")

    assert statuses == [200, 200, 429]
    assert int(api.get("/questions/latest")["Retry-After"]) > 0
    assert anonymous.status_code == 200  # public reads without a token are not counted


def test_api_write_rate_limit_counts_the_token(settings, asker, make_token):
    settings.LAWQA_RATE_LIMITS = {**settings.LAWQA_RATE_LIMITS, "ask": (1, 3600)}
    api = TokenClient(make_token(asker, "write"))
    token = AccessToken.objects.get()

    first = api.post("/questions", ASK)
    second = api.post("/questions", {**ASK, "title": "公司拖欠四个月工资怎么办？"})

    assert (first.status_code, second.status_code) == (201, 429)
    assert Question.objects.count() == 1
    assert second.json()["detail"].startswith("操作过于频繁")
    assert cache.get(f"rl:ask:t:{token.pk}:{int(time.time()) // 3600}") == 2  # the token's own count


def test_data_export_leaves_out_token_hash(asker, make_token):
    make_token(asker)

    export = json.dumps(privacy_queries.user_data_export(asker), default=str)

    assert AccessToken.objects.get().prefix in export
    assert AccessToken.objects.get().token_hash not in export


def test_account_deletion_removes_tokens(asker, make_token):
    secret = make_token(asker, "read")

    privacy_services.delete_account(user=asker)

    assert AccessToken.objects.count() == 0
    assert TokenClient(secret).get("/me").status_code == 401
