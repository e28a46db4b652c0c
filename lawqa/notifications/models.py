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
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
