"""How every operation is declared: who may call it (lawqa.api.auth) and which statuses it can
answer with (lawqa.api.errors), in one place so no operation forgets either.

    @router.get("/{id:question_id}", **public({200: QuestionDetailOut}, 404, summary="…"))
    @router.post("/{id:question_id}/answers", **write({201: AnswerOut}, 404, 409, summary="…"))

- `public`: anyone; a token (read or write) or the session identifies the caller. 401 for a bad
  token, 429 when a token's request budget is spent.
- `signed_in`: the caller's own data; a token of either scope, or the session.
- `write`: changes something; a write token, or the session with its CSRF token. 401, 403 (read
  token, CSRF, the rules, a suspension), 413 (body too big), 429 (rate limits).

Each adds `x-token-scope` (read / write) to the operation in the schema, so a program can tell
which token an operation needs.
"""

from __future__ import annotations

from typing import Any

from . import auth
from .errors import WRITE_ERRORS, responses


def public(success: dict[int, Any], *errors: int, **options: Any) -> dict[str, Any]:
    return {
        "auth": auth.PUBLIC,
        "response": responses(success, 401, 429, *errors),
        "openapi_extra": {**auth.PUBLIC_SECURITY, "x-token-scope": "read"},
        **options,
    }


def signed_in(success: dict[int, Any], *errors: int, **options: Any) -> dict[str, Any]:
    return {
        "auth": auth.SIGNED_IN,
        "response": responses(success, 401, 429, *errors),
        "openapi_extra": {"x-token-scope": "read"},
        **options,
    }


def write(success: dict[int, Any], *errors: int, **options: Any) -> dict[str, Any]:
    return {
        "auth": auth.WRITE,
        "response": responses(success, *WRITE_ERRORS, *errors),
        "openapi_extra": {"x-token-scope": "write"},
        **options,
    }
