from django.urls import path

from . import views

app_name = "lawyers"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("apply/", views.apply, name="apply"),
    path("<int:user_id>/", views.profile, name="profile"),
]
