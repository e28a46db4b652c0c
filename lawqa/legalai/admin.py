from django.contrib import admin

from lawqa.legalai.models import MutedArea, Routing


@admin.register(Routing)
class RoutingAdmin(admin.ModelAdmin):
    list_display = ("question", "lawyer", "created_at")
    raw_id_fields = ("question", "lawyer")
    date_hierarchy = "created_at"


@admin.register(MutedArea)
class MutedAreaAdmin(admin.ModelAdmin):
    list_display = ("lawyer", "category", "created_at")
    raw_id_fields = ("lawyer",)
