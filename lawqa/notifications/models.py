from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-site message to one user: a new question in their area, a new answer, …"""

    class Kind(models.TextChoices):
        NEW_QUESTION = "new_question", "新问题待解答"
        NEW_ANSWER = "new_answer", "问题有新回答"
        FOLLOWED_ANSWER = "followed_answer", "关注的问题有新回答"
        SUPPLEMENT = "supplement", "问题有补充"
        RATING = "rating", "回答收到评价"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    question = models.ForeignKey(
        "questions.Question",
        verbose_name="问题",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What the notice is about ("answer:12", "supplement:3"): one notice per recipient and event,
    # so a retried or overlapping fan-out never tells anyone twice. Empty for one-off notices.
    event_key = models.CharField("事件", max_length=40, blank=True, default="")
    # True while an e-mail for it is still to be sent (instant: by the task; daily: by the digest).
    mail_due = models.BooleanField("待发邮件", default=False)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(
                fields=["recipient", "id"], condition=models.Q(mail_due=True), name="notification_mail_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                condition=~models.Q(event_key=""),
                name="one_notification_per_event",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """How one user's notifications reach them by e-mail: each at once, a daily digest, or none."""

    class EmailMode(models.TextChoices):
        INSTANT = "instant", "即时邮件：每条通知发一封"
        DAILY = "daily", "每日摘要：每天最多一封"
        OFF = "off", "不发邮件：只在站内通知"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_mode = models.CharField(
        "邮件通知", max_length=10, choices=EmailMode.choices, default=EmailMode.INSTANT
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"
        indexes = [models.Index(fields=["email_mode", "user"], name="notification_settings_mode")]

    def __str__(self) -> str:
        return f"{self.user}：{self.get_email_mode_display()}"
