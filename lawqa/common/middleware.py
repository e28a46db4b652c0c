from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .ratelimit import RateLimited
from .text import has_forbidden_characters
from .views import bad_request

ACTION_NAMES = {
    "ask": "提问",
    "answer": "回答",
    "followup": "追问",
    "report": "举报",
    "register": "注册",
    "vote": "投票",
    "ask_assist": "智能分析",
}


class RateLimitedMiddleware:
    """Render RateLimited as a 429 page that says how long to wait."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        minutes = max(1, round(exception.retry_after / 60))
        response = TemplateResponse(
            request,
            "429.html",
            {"action": ACTION_NAMES.get(exception.action, "操作"), "minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(exception.retry_after)
        return response.render()


class BadURLMiddleware:
    """A URL whose path or query string carries control characters (NUL …) is answered 400 before
    any view runs: no view has to think about them, and PostgreSQL, which refuses NUL in every
    string, never sees one. (Submitted text goes through lawqa.common.text in forms and the API.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_forbidden_characters(request.path) or any(
            has_forbidden_characters(key) or any(has_forbidden_characters(v) for v in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request)
        return self.get_response(request)
