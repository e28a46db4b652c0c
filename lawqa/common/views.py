from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Under this prefix errors are answered in the API's JSON shape (lawqa.api.errors.ErrorOut).
API_PREFIX = "/api/"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """An oversized form post, a malformed request: 400, in Chinese (JSON under /api/)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "请求有误：内容过大或格式不正确", "errors": {}}, status=400)
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "没有找到", "errors": {}}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "服务器出错了，请稍后再试", "errors": {}}, status=500)
    # No context processors: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """This node's health for load balancers and monitoring: 200 when the database, the cache
    and the search index are fine, else 503; the JSON says what each check found
    (lawqa.common.health)."""
    from .health import node_health

    report = node_health()
    return JsonResponse(
        report, status=200 if report["ok"] else 503, json_dumps_params={"ensure_ascii": False}
    )
