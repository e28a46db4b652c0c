from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from lawqa.questions.models import Question

from . import services
from .models import HeldPost, ModerationLog, Report, Suspension


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
    """The audit log, read-only: entries are written only by the moderation services, and nobody,
    superusers included, can add, edit or delete one here."""

    list_display = ("created_at", "actor", "action", "target_type", "target_id", "note")
    list_filter = ("action", "target_type")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HeldPost)
class HeldPostAdmin(admin.ModelAdmin):
    """Posts held before publication (spam rules, premoderation): approve publishes them as if
    just posted, reject keeps them hidden; both are logged."""

    list_display = ("created_at", "kind", "excerpt", "author", "source", "reason", "status")
    list_filter = ("status", "source", "is_edit")
    list_select_related = ("author", "question", "answer")
    search_fields = ("reason", "evidence", "author__username")
    readonly_fields = (
        "kind",
        "content",
        "author",
        "source",
        "rules",
        "reason",
        "evidence",
        "is_edit",
        "status",
        "handled_by",
        "handled_at",
        "note",
        "created_at",
    )
    fields = readonly_fields
    actions = ("approve", "reject")

    @admin.display(description="类型")
    def kind(self, obj: HeldPost) -> str:
        return "问题" if obj.question_id else ("回答（修改后）" if obj.is_edit else "回答")

    @admin.display(description="内容摘要")
    def excerpt(self, obj: HeldPost) -> str:
        target = obj.target
        text = target.title if isinstance(target, Question) else target.body
        return text[:40]

    @admin.display(description="全文")
    def content(self, obj: HeldPost):
        target = obj.target
        text = f"{target.title}\n\n{target.detail}" if isinstance(target, Question) else target.body
        return format_html('<div class="held-text">{}</div>', text)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="审核通过（公开发布）")
    def approve(self, request, queryset):
        done = 0
        for held in queryset.filter(status=HeldPost.Status.PENDING):
            services.approve_held_post(held=held, by=request.user)
            done += 1
        self.message_user(request, f"已通过 {done} 条内容，已公开发布", messages.SUCCESS)

    @admin.action(description="审核不通过（不公开）")
    def reject(self, request, queryset):
        done = 0
        for held in queryset.filter(status=HeldPost.Status.PENDING):
            services.reject_held_post(held=held, by=request.user)
            done += 1
        self.message_user(request, f"已驳回 {done} 条内容，不会公开", messages.SUCCESS)


class SuspensionForm(forms.ModelForm):
    """A new suspension; checked by the same rules as the service (who may suspend whom, a
    reason the user will read, an end in the future)."""

    class Meta:
        model = Suspension
        fields = ("user", "reason", "ends_at")
        help_texts = {
            "reason": "用户每次尝试发布内容时、以及在“我的账户”页面都会看到这条原因",
            "ends_at": "到这个时间自动恢复",
        }

    def clean(self):
        data = super().clean()
        if data.get("user") and "reason" in data:
            try:
                data["reason"] = services.validate_suspension(
                    user=data["user"], reason=data["reason"], ends_at=data.get("ends_at"), by=self.by
                )
            except PermissionDenied as error:
                raise forms.ValidationError(str(error), code="not_allowed") from None
        return data


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    """暂停发言: added here through the service (logged); 提前解除 ends one now."""

    form = SuspensionForm
    list_display = ("user", "reason", "ends_at", "active", "created_by", "created_at", "lifted_at")
    list_filter = ("lifted_at",)
    list_select_related = ("user", "created_by")
    search_fields = ("user__username", "reason")
    raw_id_fields = ("user",)
    actions = ("lift",)

    @admin.display(description="生效中", boolean=True)
    def active(self, obj: Suspension) -> bool:
        return obj.is_active

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.by = request.user
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        made = services.suspend_user(
            user=obj.user, reason=form.cleaned_data["reason"], ends_at=obj.ends_at, by=request.user
        )
        obj.pk, obj.created_by, obj.created_at = made.pk, made.created_by, made.created_at
        obj._state.adding = False

    @admin.action(description="提前解除所选禁言")
    def lift(self, request, queryset):
        for suspension in queryset:
            services.lift_suspension(suspension=suspension, by=request.user)
        self.message_user(request, "已解除所选禁言", messages.SUCCESS)
