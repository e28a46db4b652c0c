from django.apps import AppConfig


class StatutesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.statutes"
    verbose_name = "法律法规"
