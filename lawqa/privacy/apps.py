from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.privacy"
    verbose_name = "隐私保护"
