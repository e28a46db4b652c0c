from django.contrib import admin
from django.urls import include, path

from lawqa.questions import views as question_views

admin.site.site_header = "法问 管理后台"
admin.site.site_title = "法问 管理后台"
admin.site.index_title = "内容与用户管理"

urlpatterns = [
    path("", question_views.home, name="home"),
    path("", include("lawqa.questions.urls")),
    path("account/", include("lawqa.accounts.urls")),
    path("lawyers/", include("lawqa.lawyers.urls")),
    path("moderation/", include("lawqa.moderation.urls")),
    path("api/v1/", include("lawqa.api.urls")),
    path("admin/", admin.site.urls),
]

# Apps owned by other team members register their URLs here once they exist.
for module, prefix in (
    ("lawqa.statutes.urls", "laws/"),
    ("lawqa.search.urls", "search/"),
    ("lawqa.legalai.urls", "legalai/"),
    ("lawqa.notifications.urls", "notifications/"),
    ("lawqa.privacy.urls", ""),
):
    try:
        __import__(module)
    except ModuleNotFoundError:
        continue
    urlpatterns.append(path(prefix, include(module)))

handler404 = "lawqa.common.views.page_not_found"
handler500 = "lawqa.common.views.server_error"
