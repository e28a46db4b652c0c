from django.urls import path

from . import views

app_name = "lawyers"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("apply/", views.apply, name="apply"),
    path("workspace/", views.workspace, name="workspace"),
    path("draft-help/<id:question_id>/", views.draft_help, name="draft_help"),
    path("<id:user_id>/", views.profile, name="profile"),
]
