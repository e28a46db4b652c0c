from django.apps import AppConfig


class LegalaiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.legalai"
    verbose_name = "智能辅助"
