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


class HeldPost(models.Model):
    """A question or answer kept from the public until a moderator approves it: caught by the
    spam rules (moderation.spam) or by the premoderation of a new account's first posts."""

    class Source(models.TextChoices):
        SPAM = "spam", "疑似广告或垃圾信息"
        PREMODERATION = "premoderation", "新用户首次发布"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    question = models.ForeignKey(
        Question, verbose_name="问题", on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    answer = models.ForeignKey(
        Answer, verbose_name="回答", on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", on_delete=models.CASCADE, related_name="held_posts"
    )
    source = models.CharField("原因类型", max_length=20, choices=Source.choices)
    # Comma-separated rule codes of moderation.spam (empty for premoderation).
    rules = models.CharField("命中规则", max_length=200, blank=True)
    reason = models.CharField("原因", max_length=200)
    evidence = models.CharField("命中内容", max_length=300, blank=True)
    is_edit = models.BooleanField("修改后待审", default=False)
    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField("审核时间", null=True, blank=True)
    note = models.CharField("审核说明", max_length=200, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        ordering = ["status", "created_at"]
        verbose_name = "待审内容"
        verbose_name_plural = "待审内容（发布前审核队列）"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, answer__isnull=True)
                    | models.Q(question__isnull=True, answer__isnull=False)
                ),
                name="held_post_exactly_one_target",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="held_post_queue")]

    def __str__(self) -> str:
        return f"{self.reason}：{self.target}"

    @property
    def target(self) -> Question | Answer:
        return self.question or self.answer


class Suspension(models.Model):
    """A user barred from writing (asking, answering, follow-ups, votes …) until `ends_at`,
    with the reason they are shown on every write attempt and on their account page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField("原因", max_length=200)
    ends_at = models.DateTimeField("截止时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("开始时间", default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="解除人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField("提前解除时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "禁言"
        verbose_name_plural = "禁言（暂停发布）"
        indexes = [models.Index(fields=["user", "ends_at"], name="suspension_user_active")]

    def __str__(self) -> str:
        return f"{self.user} 禁言至 {timezone.localtime(self.ends_at):%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.ends_at > timezone.now()
