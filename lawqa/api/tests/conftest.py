"""Fixtures of the API tests: personal access tokens and a client that sends them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from lawqa.accounts import services as account_services
from lawqa.statutes.tests.conftest import statutes  # noqa: F401 — the small statute library, as a fixture here


@pytest.fixture
def make_token(db) -> Callable[..., str]:
    """make_token(user, scope="write", expires_in_days=None) → the token's secret."""

    def make(user, scope: str = "write", expires_in_days: int | None = None, name: str = "测试脚本") -> str:
        return account_services.create_access_token(
            user=user, name=name, scope=scope, expires_in_days=expires_in_days
        ).secret

    return make


class TokenClient:
    """Calls the API as a program does: JSON in and out, the token in the Authorization header,
    no cookies and no CSRF token (the client enforces CSRF checks, as a browser's would be)."""

    def __init__(self, secret: str | None) -> None:
        self.secret = secret
        self.client = Client(enforce_csrf_checks=True)

    def call(self, method: str, path: str, payload: dict | None = None, **query):
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        url = f"/api/v1{path}"
        if method == "get":
            return self.client.get(url, query, headers=headers)
        body = json.dumps(payload) if payload is not None else ""
        return getattr(self.client, method)(url, body, content_type="application/json", headers=headers)

    def get(self, path: str, **query):
        return self.call("get", path, **query)

    def post(self, path: str, payload: dict | None = None):
        return self.call("post", path, payload)

    def delete(self, path: str):
        return self.call("delete", path)


@pytest.fixture
def token_client(make_token) -> Callable[..., TokenClient]:
    """token_client(user, scope="write") → a TokenClient with a new token of `user`."""

    def make(user, scope: str = "write") -> TokenClient:
        return TokenClient(make_token(user, scope))

    return make
