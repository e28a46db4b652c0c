from django.urls import path

from . import views

app_name = "statutes"

urlpatterns = [
    path("", views.law_index, name="index"),
    path("check/", views.citation_check, name="citation_check"),
    path("<str:law>/", views.law_detail, name="law"),
    path("<str:law>/<str:article>/", views.article_detail, name="article"),
]
