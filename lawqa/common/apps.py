from django.apps import AppConfig
from django.urls import register_converter


class CommonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.common"
    verbose_name = "通用"

    def ready(self) -> None:
        from .converters import IdConverter

        # Before any URLconf is imported: every app's urls.py uses <id:…> for database ids.
        register_converter(IdConverter, "id")
