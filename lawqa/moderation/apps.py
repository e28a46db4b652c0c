from django.apps import AppConfig


class ModerationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.moderation"
    verbose_name = "内容管理"
