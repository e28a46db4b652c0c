from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("report/<str:kind>/<id:pk>/", views.report, name="report"),
    path("hide/<str:kind>/<id:pk>/", views.set_hidden, name="set_hidden"),
]
