from django.contrib import admin

from lawqa.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "question")
    date_hierarchy = "created_at"
