from django.contrib import admin

from lawqa.notifications.models import Notification, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "question")
    date_hierarchy = "created_at"


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "email_mode", "updated_at")
    list_filter = ("email_mode",)
    raw_id_fields = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the user's own choice (通知设置 or the unsubscribe link)
