"""The public JSON API under /api/v1/ (django-ninja); one router module per app."""

from ninja import NinjaAPI

from lawqa.common.ratelimit import RateLimited

from .questions import router as questions_router

api = NinjaAPI(title="法问 LawQA API", version="1", urls_namespace="api")


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    minutes = max(1, round(exc.retry_after / 60))
    response = api.create_response(request, {"detail": f"操作过于频繁，请{minutes}分钟后再试"}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/questions", questions_router)

# Routers owned by other team members are mounted once their modules exist.
for module, prefix in (
    ("lawqa.api.search", ""),
    ("lawqa.api.statutes", "/laws"),
    ("lawqa.api.legalai", "/legalai"),
):
    try:
        router = __import__(module, fromlist=["router"]).router
    except ModuleNotFoundError:
        continue
    api.add_router(prefix, router)
