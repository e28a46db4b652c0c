"""Register, log in, log out, change password; the account page."""

from __future__ import annotations

from django.urls import reverse

from lawqa.accounts.models import User
from lawqa.questions import services as question_services

PASSWORD = "Zhang-San-2024!"


def _register(client, **overrides):
    data = {"username": "zhangsan", "nickname": "张三", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return client.post(reverse("accounts:register"), data)


def test_register_creates_asker_and_signs_in(client, db):
    response = _register(client)

    user = User.objects.get(username="zhangsan")
    assert response.status_code == 302
    assert (user.role, user.nickname) == (User.Role.ASKER, "张三")
    assert client.get(reverse("accounts:account")).status_code == 200


def test_register_short_username_refused_in_chinese(client, db):
    response = _register(client, username="abc")

    assert "用户名至少需要4个字符" in response.content.decode()
    assert User.objects.count() == 0


def test_register_password_mismatch_refused(client, db):
    response = _register(client, password2="Different-2024!")

    assert response.status_code == 200
    assert "输入的两个密码不一致。" in response.content.decode()
    assert User.objects.count() == 0


def test_register_duplicate_username_refused(client, asker):
    response = _register(client, username=asker.username)

    assert response.status_code == 200
    assert User.objects.filter(username=asker.username).count() == 1


def test_login_wrong_password_shows_message(client, asker):
    response = client.post(reverse("accounts:login"), {"username": asker.username, "password": "wrong-one"})

    assert response.status_code == 200
    assert "用户名或密码不正确，请重新输入。" in response.content.decode()


def test_login_then_logout(client, asker):
    login = client.post(reverse("accounts:login"), {"username": asker.username, "password": "pw-Secret-123"})
    logout = client.post(reverse("accounts:logout"))

    assert (login.status_code, login["Location"]) == (302, reverse("home"))
    assert logout.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_login_redirects_to_next(client, asker):
    response = client.post(
        reverse("accounts:login") + "?next=/questions/ask/",
        {"username": asker.username, "password": "pw-Secret-123", "next": "/questions/ask/"},
    )

    assert response["Location"] == "/questions/ask/"


def test_ask_page_open_to_visitors_who_sign_up_after(client, db):
    """Ask first, sign up after (questions/tests/test_drafts.py has the whole journey)."""
    response = client.get(reverse("questions:ask"))

    assert response.status_code == 200
    assert "无需先注册" in response.content.decode()


def test_password_change(client, asker):
    client.force_login(asker)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-Secret-123", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )

    asker.refresh_from_db()
    assert response["Location"] == reverse("accounts:password_done")
    assert asker.check_password(PASSWORD)


def test_account_page_lists_own_questions_including_anonymous(client, asker, area):
    public = question_services.create_question(
        asker=asker, title="公开提问的劳动问题", detail="", category=area
    )
    anonymous = question_services.create_question(
        asker=asker, title="匿名提问的劳动问题", detail="", category=area, is_anonymous=True
    )
    client.force_login(asker)

    html = client.get(reverse("accounts:account")).content.decode()

    assert public.title in html
    assert anonymous.title in html


def test_roles_moderator_flags(make_user, moderator, admin_user, asker):
    assert (asker.is_moderator, moderator.is_moderator, admin_user.is_moderator) == (False, True, True)
    assert (moderator.is_site_admin, admin_user.is_site_admin) == (False, True)
