"""The public JSON API under /api/v1/ (django-ninja); one router module per app.

Who may call what is declared per operation with lawqa.api.ops (public / signed_in / write, built
on lawqa.api.auth: personal access tokens and the session); errors have one shape and one set of
handlers (lawqa.api.errors); lists are cursor pages (lawqa.api.pagination). /api/v1/docs is the
Chinese docs page rendered from the schema (lawqa.api.docs); docs/api.md explains it for people.
"""

from ninja import NinjaAPI

from .answers import router as answers_router
from .docs import ApiDocs
from .errors import install_error_handlers
from .lawyers import router as lawyers_router
from .me import router as me_router
from .notifications import router as notifications_router
from .questions import router as questions_router
from .reports import router as reports_router
from .search import router as search_router
from .statutes import router as statutes_router

api = NinjaAPI(
    title="法问 LawQA API",
    version="1",
    description=(
        "法问开放接口：网站上能做的事，程序都可以通过本接口完成，规则（权限、审核、个人信息遮盖、频率限制）与网页相同。"
        "程序用个人访问令牌（在“我的账户”页面创建，分只读和读写两种）调用：请求头 Authorization: Bearer <令牌>。"
        "列表用游标分页（next_cursor）；错误统一为 {detail, errors}，说明为中文。"
    ),
    urls_namespace="api",
    docs=ApiDocs(),
)
install_error_handlers(api)

api.add_router("/questions", questions_router)
api.add_router("/answers", answers_router)
api.add_router("", search_router)
api.add_router("/reports", reports_router)
api.add_router("/laws", statutes_router)
api.add_router("/lawyers", lawyers_router)
api.add_router("/notifications", notifications_router)
api.add_router("/me", me_router)
