from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("questions/ask/", views.ask, name="ask"),
    # The canonical question URL carries the title (title_slug); the bare id redirects to it (301).
    path("questions/<id:pk>-<str:slug>/", views.detail, name="detail"),
    path("questions/<id:pk>/", views.detail_by_id, name="detail_by_id"),
    path("questions/<id:pk>/answer/", views.answer, name="answer"),
    path("questions/<id:pk>/close/", views.close, name="close"),
    path("questions/<id:pk>/follow/", views.follow, name="follow"),
    path("questions/<id:pk>/supplement/", views.supplement, name="supplement"),
    path("answers/<id:answer_id>/rate/", views.rate, name="rate"),
    path("answers/<id:answer_id>/rating-reply/", views.rating_reply, name="rating_reply"),
    path("account/questions/", views.my_questions, name="my_questions"),
    path("account/following/", views.my_follows, name="my_follows"),
    path("answers/<id:answer_id>/followup/", views.followup, name="followup"),
    path("answers/<id:answer_id>/accept/", views.accept, name="accept"),
    path("answers/<id:answer_id>/vote/", views.vote, name="vote"),
    path("answers/<id:answer_id>/edit/", views.edit_answer, name="edit_answer"),
    path("answers/<id:answer_id>/history/", views.answer_history, name="answer_history"),
    path("areas/<slug:slug>/", views.area, name="area"),
    path("questions/<id:pk>/<slug:slug>/", views.detail_with_slug, name="detail_slug"),
]
