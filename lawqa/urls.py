from django.contrib import admin
from django.urls import include, path

from lawqa.common import views as common_views
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
    path("healthz", common_views.healthz, name="healthz"),
    path("", include("lawqa.seo.urls")),
    path("laws/", include("lawqa.statutes.urls")),
    path("search/", include("lawqa.search.urls")),
    path("legalai/", include("lawqa.legalai.urls")),
    path("notifications/", include("lawqa.notifications.urls")),
    path("", include("lawqa.privacy.urls")),
]

handler400 = "lawqa.common.views.bad_request"
handler404 = "lawqa.common.views.page_not_found"
handler500 = "lawqa.common.views.server_error"
