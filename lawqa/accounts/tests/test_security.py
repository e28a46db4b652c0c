"""Issue 11, findings 1 (open redirect after registration) and 9 (Django's own messages in the
visitor's browser language instead of Chinese)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lawqa.accounts.models import User

FORM = {"username": "newuser01", "password1": "pw-Secret-123x", "password2": "pw-Secret-123x"}


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("https://evil.example/phish", id="absolute"),
        pytest.param("//evil.example/", id="scheme-relative"),
        pytest.param("/\\evil.example/", id="backslash"),
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("http://testserver/questions/ask/", id="http-on-https-site"),
    ],
)
def test_register_with_offsite_next_redirects_home(client, db, target):
    response = client.post(f"{reverse('accounts:register')}?next={target}", FORM, secure=True)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert User.objects.filter(username="newuser01").exists()


def test_register_with_local_next_redirects_there(client, db):
    response = client.post(f"{reverse('accounts:register')}?next=/questions/ask/", FORM)

    assert (response.status_code, response["Location"]) == (302, "/questions/ask/")


@pytest.mark.parametrize("language", ["en-US,en;q=0.9", "ja", "de-DE"])
def test_django_messages_chinese_whatever_accept_language(client, db, language):
    response = client.post(
        reverse("accounts:register"), {"nickname": "x"}, headers={"accept-language": language}
    )

    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert "This field is required." not in response.content.decode()
    assert "Content-Language" not in response.headers or response["Content-Language"] == "zh-hans"
