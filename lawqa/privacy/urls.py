from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.policy, name="policy"),
    path("privacy/mask-preview/", views.mask_preview, name="mask_preview"),
    path("account/privacy/", views.overview, name="overview"),
    path("account/privacy/export/", views.export, name="export"),
    path("account/privacy/delete/", views.delete_account, name="delete_account"),
]
