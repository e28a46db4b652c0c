from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("questions/ask/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.detail, name="detail"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/close/", views.close, name="close"),
    path("answers/<int:answer_id>/followup/", views.followup, name="followup"),
    path("answers/<int:answer_id>/accept/", views.accept, name="accept"),
    path("answers/<int:answer_id>/vote/", views.vote, name="vote"),
    path("areas/<slug:slug>/", views.area, name="area"),
    path("questions/<int:pk>/<slug:slug>/", views.detail_with_slug, name="detail_slug"),
]
