"""The /api/v1/docs page: every operation of the OpenAPI schema as a plain Chinese page in the site's
layout (who may call it, parameters, body fields, answers), with the sign-in, token, cursor, error
and rate-limit rules above it. Server-rendered from the same schema /api/v1/openapi.json serves,
so it cannot drift from the API; no script (Swagger UI would need inline code and a CDN)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

from lawqa.common.links import site_url

if TYPE_CHECKING:
    from ninja import NinjaAPI

STATUS_LABELS = {
    200: "成功",
    201: "已创建",
    400: "提交的内容不符合规则（errors 中按字段说明）",
    401: "未登录，或令牌无效、已撤销、已过期",
    403: "没有权限（只读令牌、缺少 CSRF 令牌、账户被暂停或规则不允许）",
    404: "不存在或已被隐藏",
    409: "与当前状态冲突（如已采纳、已评价、问题已关闭）",
    413: "请求内容过大",
    422: "参数或请求体不符合格式（errors 中按字段说明）",
    429: "操作过于频繁（见 Retry-After 响应头）",
}

ACCESS_LABELS = {
    "public": "公开：无需登录；带令牌或会话时按调用者身份返回",
    "read": "需要登录：只读或读写令牌，或网站会话",
    "write": "需要读写（write）令牌，或网站会话加 CSRF 令牌",
}

# Rate-limited actions the API's operations count, in LAWQA_RATE_LIMITS, with what they cover.
RATE_LIMIT_LABELS = {
    "api_request": "用令牌发出的每个请求（含读取），按令牌、账户和 IP 分别计数",
    "ask": "提问",
    "answer": "回答",
    "answer_edit": "修改回答",
    "followup": "追问 / 律师回复",
    "supplement": "补充问题",
    "vote": "“有帮助”投票",
    "follow": "关注 / 同问",
    "rate": "评价回答",
    "rating_reply": "回复评价",
    "report": "举报",
    "notifications_read": "标记通知已读",
    "notification_settings": "修改通知设置",
    "token_revoke": "撤销令牌",
}


def _type(schema: dict, components: dict) -> str:
    """A short Chinese description of a JSON-schema type."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return "取值：" + " / ".join(str(v) if v != "" else "（空）" for v in schema["enum"])
    if "const" in schema:
        return f"取值：{schema['const']}"
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [_type(s, components) for s in schema[key] if s.get("type") != "null"]
            return " 或 ".join(parts) + ("（可为空）" if len(parts) < len(schema[key]) else "")
    kind = schema.get("type", "")
    if kind == "array":
        return f"列表（{_type(schema.get('items', {}), components)}）"
    words = {
        "string": "文字",
        "integer": "整数",
        "boolean": "true / false",
        "number": "数字",
        "object": "对象",
    }
    text = words.get(kind, kind)
    limits = []
    if "minLength" in schema:
        limits.append(f"至少{schema['minLength']}字")
    if "maxLength" in schema:
        limits.append(f"最多{schema['maxLength']}字")
    if "minimum" in schema and "maximum" in schema:
        limits.append(f"{schema['minimum']}–{schema['maximum']}")
    if schema.get("format") == "date-time":
        text = "时间（ISO 8601）"
    return text + (f"，{'，'.join(limits)}" if limits else "")


def _fields(schema: dict, components: dict) -> list[dict[str, Any]]:
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "required": name in required,
            "type": _type(prop, components),
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _access(operation: dict) -> str:
    if {} in operation.get("security", []):
        return "public"
    return operation.get("x-token-scope", "read")


def operation_groups(schema: dict) -> list[dict[str, Any]]:
    """The schema's operations grouped by tag (in the order they first appear), ready to render."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            access = _access(operation)
            groups.setdefault((operation.get("tags") or ["其他"])[0], []).append(
                {
                    "anchor": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", "").replace("**", ""),
                    "deprecated": operation.get("deprecated", False),
                    "access": access,
                    "access_label": ACCESS_LABELS[access],
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": {"path": "路径", "query": "查询"}.get(p["in"], p["in"]),
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {}), components),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _fields(body.get("schema", {}), components) if body else [],
                    "responses": [
                        {"status": int(code), "label": STATUS_LABELS.get(int(code), "")}
                        for code in operation.get("responses", {})
                    ],
                }
            )
    return [{"tag": tag, "operations": operations} for tag, operations in groups.items()]


class ApiDocs(DocsBase):
    """ninja's docs hook: our page instead of Swagger UI."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        limits = [
            {
                "label": label,
                "count": settings.LAWQA_RATE_LIMITS[action][0],
                "hours": settings.LAWQA_RATE_LIMITS[action][1] // 3600,
            }
            for action, label in RATE_LIMIT_LABELS.items()
            if action in settings.LAWQA_RATE_LIMITS
        ]
        context = {
            "schema": schema,
            "groups": operation_groups(schema),
            "base_url": site_url("/api/v1"),
            "openapi_url": self.get_openapi_url(api, kwargs),
            "account_url": reverse("accounts:account"),
            "rate_limits": limits,
        }
        return render(request, "api/docs.html", context)
