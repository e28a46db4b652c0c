from django.apps import AppConfig


class SeoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawqa.seo"
    verbose_name = "搜索引擎与订阅"
