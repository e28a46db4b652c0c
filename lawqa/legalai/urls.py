from django.urls import path

from lawqa.legalai import views

app_name = "legalai"

urlpatterns = [
    path("ask-assist/", views.ask_assist, name="ask_assist"),
    path("pending/", views.pending, name="pending"),
    path("pending/mute/", views.mute_areas, name="mute_areas"),
]
