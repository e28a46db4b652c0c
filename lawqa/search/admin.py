from django.contrib import admin

from .models import IndexNode, SearchOutbox


@admin.register(SearchOutbox)
class SearchOutboxAdmin(admin.ModelAdmin):
    """Read-only view of the change log (pruned once every node has applied an entry)."""

    list_display = ("id", "question_id", "op", "created")
    list_filter = ("op",)
    search_fields = ("question_id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndexNode)
class IndexNodeAdmin(admin.ModelAdmin):
    """Read-only view of the nodes' index positions in the change log (reported by their indexers)."""

    list_display = ("name", "position", "vector_position", "heartbeat")
    readonly_fields = ("name", "position", "since", "vector_position", "vector_since", "heartbeat")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
