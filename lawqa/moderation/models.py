from django.conf import settings
from django.db import models
from django.utils import timezone

from lawqa.questions.models import Answer, FollowUp, Question


class Report(models.Model):
    """A user's report of a question, answer or follow-up; waits in the moderation queue."""

    class Reason(models.TextChoices):
        SPAM = "spam", "广告或垃圾信息"
        ABUSE = "abuse", "辱骂、人身攻击"
        PRIVACY = "privacy", "泄露个人信息"
        WRONG = "wrong", "内容明显错误或误导"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        HIDDEN = "hidden", "已隐藏内容"
        DISMISSED = "dismissed", "已驳回"

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="举报人", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    detail = models.CharField("补充说明", max_length=300, blank=True)
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("举报时间", default=timezone.now)

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = "举报"
        verbose_name_plural = "举报（待审队列）"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, answer__isnull=True, followup__isnull=True)
                    | models.Q(question__isnull=True, answer__isnull=False, followup__isnull=True)
                    | models.Q(question__isnull=True, answer__isnull=True, followup__isnull=False)
                ),
                name="report_exactly_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}：{self.target}"

    @property
    def target(self) -> Question | Answer | FollowUp:
        return self.question or self.answer or self.followup


class ModerationLog(models.Model):
    """An audit record of a moderator's or admin's action."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField("操作", max_length=30)
    target_type = models.CharField("对象类型", max_length=20)
    target_id = models.PositiveBigIntegerField("对象编号")
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.target_type}#{self.target_id}"
