from django.contrib import admin, messages

from . import services
from .models import ModerationLog, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The moderation queue: open reports first; actions hide the content or dismiss the report."""

    list_display = ("__str__", "reason", "status", "reporter", "created_at")
    list_filter = ("status", "reason")
    readonly_fields = (
        "question",
        "answer",
        "followup",
        "reporter",
        "reason",
        "detail",
        "handled_by",
        "handled_at",
        "created_at",
    )
    actions = ("hide_targets", "dismiss")

    @admin.action(description="隐藏被举报的内容")
    def hide_targets(self, request, queryset):
        for report in queryset.filter(status=Report.Status.OPEN):
            services.resolve_report(report=report, by=request.user, hide=True)
        self.message_user(request, "已隐藏所选举报对应的内容", messages.SUCCESS)

    @admin.action(description="驳回举报（保留内容）")
    def dismiss(self, request, queryset):
        for report in queryset.filter(status=Report.Status.OPEN):
            services.resolve_report(report=report, by=request.user, hide=False)
        self.message_user(request, "已驳回所选举报", messages.SUCCESS)


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target_type", "target_id", "note")
    list_filter = ("action", "target_type")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
