from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.policy, name="policy"),
    path("privacy/mask-preview/", views.mask_preview, name="mask_preview"),
    path("account/privacy/", views.overview, name="overview"),
    path("account/privacy/export/", views.export, name="export"),
    path("account/privacy/delete/", views.delete_account, name="delete_account"),
    path("account/password/reset/", views.password_reset, name="password_reset"),
    path("account/password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("account/password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
]
