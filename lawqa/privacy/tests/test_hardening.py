"""Hardening: password hashing, login lockout, rate limits, no account enumeration, deploy settings."""

import io
import json
import os
import re
import runpy
import secrets
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import lawqa.settings as base_settings
from lawqa.accounts.models import User
from lawqa.questions import services as question_services
from lawqa.questions.models import Question
from lawqa.questions.tests.helpers import db_state

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "pw-Secret-123"


# --- passwords ------------------------------------------------------------------------------
def test_argon2_is_the_first_password_hasher():
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_and_verifies(settings):
    settings.PASSWORD_HASHERS = base_settings.PASSWORD_HASHERS

    encoded = make_password("张三-Password-2024")

    assert encoded.startswith("argon2$argon2id$")
    assert check_password("张三-Password-2024", encoded)


# --- login lockout and enumeration ------------------------------------------------------------
def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'value="[^"]*"', "", html)


def test_login_locks_out_after_repeated_failures(client, asker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, asker.username, "wrong-password")

    response = _login(client, asker.username, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "登录" in response.content.decode()


def test_login_wrong_password_and_unknown_user_look_the_same(client, asker):
    known = _login(client, asker.username, "wrong-password")
    unknown = _login(client, "nobody-here", "wrong-password")

    assert known.status_code == unknown.status_code == 200
    assert _normalised(known.content.decode()) == _normalised(unknown.content.decode())


def test_lockout_of_unknown_user_looks_like_lockout_of_known_user(client, asker, settings):
    responses = {}
    for name in (asker.username, "nobody-here"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, name, "wrong-password")
        responses[name] = _login(client, name, "wrong-password")

    known, unknown = responses.values()
    assert known.status_code == unknown.status_code == 429
    assert _normalised(known.content.decode()) == _normalised(unknown.content.decode())


def test_register_with_an_email_already_used_is_not_refused(client, asker):
    asker.email = "taken@example.com"
    asker.save()
    data = {"username": "newcomer1", "password1": "Zhang-San-2024!", "password2": "Zhang-San-2024!"}

    response = client.post(reverse("accounts:register"), {**data, "email": "taken@example.com"})

    assert response.status_code == 302
    assert "already" not in response.content.decode()


def test_password_reset_looks_the_same_for_known_and_unknown_email(
    client, asker, django_capture_on_commit_callbacks
):
    asker.email = "asker@example.com"
    asker.save()

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("privacy:password_reset"), {"email": "asker@example.com"})
        unknown = client.post(reverse("privacy:password_reset"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("privacy:password_reset_done")
    assert [m.to for m in mail.outbox] == [["asker@example.com"]]


def test_password_reset_link_sets_new_password(client, asker):
    asker.email = "asker@example.com"
    asker.save()
    client.post(reverse("privacy:password_reset"), {"email": "asker@example.com"})
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brand-New-2024!", "new_password2": "Brand-New-2024!"},
    )

    assert response.status_code == 302
    asker.refresh_from_db()
    assert asker.check_password("Brand-New-2024!")
    assert "13812348000" not in mail.outbox[0].body


# --- rate limits ------------------------------------------------------------------------------
@pytest.fixture
def limit_one(settings):
    settings.LAWQA_RATE_LIMITS = dict.fromkeys(settings.LAWQA_RATE_LIMITS, (1, 3600))


def _assert_429_in_chinese(response, action_word):
    html = response.content.decode()
    assert response.status_code == 429
    assert f"{action_word}太频繁了，请稍后再试" in html
    assert int(response["Retry-After"]) > 0


ASK = {
    "title": "公司拖欠工资怎么办才好",
    "detail": "连续三个月没发工资。",
    "category": "labor",
    "province": "",
}


def test_ask_rate_limited_per_user_and_refused_ask_changes_nothing(client, asker, limit_one):
    client.force_login(asker)
    assert client.post(reverse("questions:ask"), ASK).status_code == 302
    before = db_state()

    response = client.post(
        reverse("questions:ask"), {**ASK, "title": "第二个问题：加班费怎么算"}, REMOTE_ADDR="10.0.0.2"
    )

    _assert_429_in_chinese(response, "提问")
    assert db_state() == before


def test_ask_rate_limited_per_ip_across_users(client, make_user, limit_one):
    first, second = make_user(), make_user()
    client.force_login(first)
    client.post(reverse("questions:ask"), ASK, REMOTE_ADDR="10.0.0.9")
    client.force_login(second)
    before = db_state()

    response = client.post(reverse("questions:ask"), ASK, REMOTE_ADDR="10.0.0.9")

    _assert_429_in_chinese(response, "提问")
    assert db_state() == before


def test_answer_rate_limited_and_refused_answer_changes_nothing(client, lawyer, asker, area, limit_one):
    questions = [
        question_services.create_question(asker=asker, title=f"劳动纠纷问题第{n}个", detail="", category=area)
        for n in range(2)
    ]
    client.force_login(lawyer)
    body = {"body": "可以申请劳动仲裁，要求支付拖欠的工资。"}
    assert client.post(reverse("questions:answer", args=[questions[0].pk]), body).status_code == 302
    before = db_state()

    response = client.post(reverse("questions:answer", args=[questions[1].pk]), body)

    _assert_429_in_chinese(response, "回答")
    assert db_state() == before
    assert Question.objects.get(pk=questions[1].pk).answer_count == 0


def test_followup_rate_limited_and_refused_followup_changes_nothing(client, asker, answer, limit_one):
    client.force_login(asker)
    url = reverse("questions:followup", args=[answer.pk])
    client.post(url, {"body": "仲裁需要准备什么材料？"})
    before = db_state()

    response = client.post(url, {"body": "还想再问一个问题"})

    _assert_429_in_chinese(response, "追问")
    assert db_state() == before


def test_report_rate_limited_and_refused_report_changes_nothing(
    client, make_user, answer, question, limit_one
):
    client.force_login(make_user())
    client.post(reverse("moderation:report", args=["answer", answer.pk]), {"reason": "spam"})
    before = db_state()

    response = client.post(reverse("moderation:report", args=["question", question.pk]), {"reason": "spam"})

    _assert_429_in_chinese(response, "举报")
    assert db_state() == before


def test_register_rate_limited_per_ip_and_creates_no_user(client, db, limit_one):
    data = {"password1": "Zhang-San-2024!", "password2": "Zhang-San-2024!"}
    client.post(reverse("accounts:register"), {**data, "username": "first-user"})
    client.post(reverse("accounts:logout"))
    users = User.objects.count()

    response = client.post(reverse("accounts:register"), {**data, "username": "second-user"})

    _assert_429_in_chinese(response, "注册")
    assert User.objects.count() == users


def test_api_ask_rate_limited_with_json_429(client, asker, limit_one):
    client.force_login(asker)
    payload = json.dumps({"title": "公司拖欠工资怎么办才好", "area": "labor"})
    client.post("/api/v1/questions", payload, content_type="application/json")
    before = db_state()

    response = client.post("/api/v1/questions", payload, content_type="application/json")

    assert response.status_code == 429
    assert "操作过于频繁" in response.json()["detail"]
    assert db_state() == before


# --- HTTP headers and production settings ------------------------------------------------------
def test_pages_send_content_security_policy(client, db):
    response = client.get(reverse("home"))

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"


# Settings the deploy checks read; the rest of the production module (apps, database) is unchanged.
DEPLOY_SETTINGS = [
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MIDDLEWARE", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "SECURE_PROXY_SSL_HEADER", "CONTENT_SECURITY_POLICY", "PASSWORD_HASHERS",
]  # fmt: skip


def _production_module(monkeypatch, tmp_path, **env) -> dict:
    """Execute lawqa/settings.py afresh as production would (LAWQA_ENV=production)."""
    for name in list(os.environ):
        if name.startswith(("DJANGO_", "LAWQA_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LAWQA_ENV", "production")
    monkeypatch.setenv("LAWQA_VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "lawqa" / "settings.py"))


def test_production_settings_pass_check_deploy(monkeypatch, tmp_path):
    module = _production_module(
        monkeypatch,
        tmp_path,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="lawqa.example.cn",
        LAWQA_SITE_URL="https://lawqa.example.cn",
    )
    out = io.StringIO()

    with override_settings(**{name: module[name] for name in DEPLOY_SETTINGS}):
        # Only the security checks: the others do not depend on LAWQA_ENV (and import every template tag).
        call_command("check", deploy=True, tags=["security"], fail_level="WARNING", stdout=out, stderr=out)

    assert "no issues" in out.getvalue()
    assert {name: module[name] for name in DEPLOY_SETTINGS[:10]} | {"SECRET_KEY": "…"} == {
        "DEBUG": False,
        "SECRET_KEY": "…",
        "ALLOWED_HOSTS": ["lawqa.example.cn"],
        "MIDDLEWARE": module["MIDDLEWARE"],
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    }


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    with pytest.raises(KeyError, match="DJANGO_SECRET_KEY"):
        _production_module(
            monkeypatch,
            tmp_path,
            DJANGO_ALLOWED_HOSTS="lawqa.example.cn",
            LAWQA_SITE_URL="https://lawqa.example.cn",
        )


def test_no_secret_key_committed_for_production():
    source = (ROOT / "lawqa" / "settings.py").read_text(encoding="utf-8")

    assert 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]' in source
