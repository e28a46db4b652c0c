from django.contrib import admin

from .models import SearchOutbox


@admin.register(SearchOutbox)
class SearchOutboxAdmin(admin.ModelAdmin):
    """Read-only view of pending index changes (the indexer empties it within seconds)."""

    list_display = ("id", "question_id", "op", "created")
    list_filter = ("op",)
    search_fields = ("question_id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
