from django.contrib import admin

from .models import Article, Citation, Law


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "version", "status", "is_current", "article_count")
    list_filter = ("level", "status", "is_current")
    search_fields = ("name", "title")
    readonly_fields = ("source_id", "content_hash", "parse_problems")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "number", "sub")
    search_fields = ("law__name", "text")
    list_select_related = ("law",)
    raw_id_fields = ("law",)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "answer", "status")
    list_filter = ("status",)
    raw_id_fields = ("answer", "law", "article")
    list_select_related = ("law",)
