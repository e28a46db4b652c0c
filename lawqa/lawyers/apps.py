from django.apps import AppConfig


class LawyersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.lawyers"
    verbose_name = "律师"
