"""One shape for every API answer that is not a success, the statuses operations declare, and the
handlers that turn exceptions into those answers.

Every operation declares its responses with `responses({200: Out}, 404, …)`: 400 (a URL with
control characters, refused before any view by lawqa.common.middleware.BadURLMiddleware; a service
rule about a field) and 422 (parameters or body that do not fit the schema) are always added, and
each status gets `ErrorOut`. Operations are declared through `lawqa.api.ops` (public / signed_in /
write), which adds the statuses their authentication can answer with. Views raise, they never
build error bodies themselves:

| raised                                   | status | detail                         |
|------------------------------------------|--------|--------------------------------|
| a URL with control characters (NUL …)    | 400    | 请求有误…                       |
| ninja `ValidationError` (schema)         | 422    | 请求参数有误… + errors per field |
| Django `ValidationError` about fields    | 400    | 提交的内容有误… + errors per field |
| Django `ValidationError` about the state | 409    | the service's message (已采纳过 …) |
| not signed in (`AuthenticationError`)    | 401    | 请先登录                        |
| a bad API token (`auth.TokenRejected`)   | 401    | 令牌无效或已被撤销 / 令牌已过期 … |
| `PermissionDenied`, CSRF failure         | 403    | the service's message           |
| `Http404`, `ObjectDoesNotExist`          | 404    | the message, or 没有找到         |
| `RequestDataTooBig`                      | 413    | 请求内容过大                    |
| `RateLimited`                            | 429    | 操作过于频繁… + Retry-After      |
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from lawqa.common.ratelimit import RateLimited

from .auth import TokenRejected


class ErrorOut(Schema):
    """Every error answer of the API."""

    detail: str
    errors: dict[str, list[str]] = {}


def responses(success: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The `response=` of an operation: its success schemas, then `ErrorOut` for 400 and 422 and for
    each status in `errors` (401 sign-in needed, 403, 404, 413 body too big, 429)."""
    return {**success, **dict.fromkeys(sorted({400, 422, *errors}), ErrorOut)}


# Statuses of an operation that takes a JSON body from a signed-in user and writes.
WRITE_ERRORS = (401, 403, 413, 429)

# A service's ValidationError without fields (`ValidationError("…", code=…)`) is about the state
# of what the request acts on — already accepted, question closed, already rated — not about what
# the client sent: 409 Conflict, so a client can tell "fix your input" (400/422) from "this cannot
# be done now".
CONFLICT = 409


def _error(api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


def _field_name(loc: tuple | list) -> str:
    # ("body", "payload", "title") → "title"; ("query", "page") → "page"; ("body", "payload") → "__all__"
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and parts:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _schema_message(error: dict) -> str:
    """A Chinese message for one pydantic error (our own validators already speak Chinese)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    messages = {
        "missing": "缺少这一项",
        "int_parsing": "应填写整数",
        "int_type": "应填写整数",
        "int_from_float": "应填写整数",
        "bool_parsing": "应填写 true 或 false",
        "bool_type": "应填写 true 或 false",
        "string_type": "应填写文字",
        "string_unicode": "含有无法识别的字符",
        "greater_than_equal": f"不能小于{ctx.get('ge')}",
        "greater_than": f"应大于{ctx.get('gt')}",
        "less_than_equal": f"不能大于{ctx.get('le')}",
        "less_than": f"应小于{ctx.get('lt')}",
        "string_too_short": f"至少需要{ctx.get('min_length')}个字",
        "string_too_long": f"最多{ctx.get('max_length')}个字",
        "string_pattern_mismatch": "含有不允许的字符，或有效文字太少",
        "literal_error": f"只能是以下之一：{ctx.get('expected', '')}",
        "enum": f"只能是以下之一：{ctx.get('expected', '')}",
        "json_invalid": "请求内容不是有效的 JSON",
        "model_attributes_type": "应是一个 JSON 对象",
        "dict_type": "应是一个 JSON 对象",
        "list_type": "应是一个列表",
    }
    return messages.get(kind, "格式不正确")


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers of the table above on `api`."""

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc: SchemaValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_name(error.get("loc", ())), []).append(_schema_message(error))
        return _error(api, request, 422, "请求参数有误，请按提示修改", errors)

    @api.exception_handler(ValidationError)
    def rule_broken(request, exc: ValidationError):
        if hasattr(exc, "error_dict"):
            return _error(api, request, 400, "提交的内容有误，请按提示修改", exc.message_dict)
        return _error(api, request, CONFLICT, " ".join(exc.messages), {"__all__": exc.messages})

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return _error(api, request, 403, str(exc) or "没有权限进行这个操作")

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return _error(api, request, 404, str(exc) or "没有找到")

    @api.exception_handler(ObjectDoesNotExist)
    def missing_object(request, exc: ObjectDoesNotExist):
        return _error(api, request, 404, "没有找到")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc, TokenRejected):
            response = _error(api, request, 401, exc.message)
            response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
            return response
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            response = _error(
                api, request, 401, "请先登录，或在请求头中提供 API 令牌（Authorization: Bearer <令牌>）"
            )
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if exc.status_code == 403 and "CSRF" in exc.message:
            return _error(api, request, 403, "缺少或过期的安全令牌（CSRF），请刷新页面后重试")
        return _error(api, request, exc.status_code, exc.message)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc: RequestDataTooBig):
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        return _error(api, request, 413, f"请求内容过大（最多{limit_mb:.1f}MB）")

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc: RateLimited):
        minutes = max(1, round(exc.retry_after / 60))
        response = _error(api, request, 429, f"操作过于频繁，请{minutes}分钟后再试")
        response["Retry-After"] = str(exc.retry_after)
        return response
