from django.conf import settings
from django.db import models
from django.utils import timezone


class Routing(models.Model):
    """One lawyer told about one new question by the practice-area routing (once per pair)."""

    question = models.ForeignKey(
        "questions.Question", verbose_name="问题", on_delete=models.CASCADE, related_name="routings"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="律师", on_delete=models.CASCADE, related_name="routings"
    )
    created_at = models.DateTimeField("推送时间", default=timezone.now)

    class Meta:
        verbose_name = "问题推送"
        verbose_name_plural = "问题推送"
        constraints = [models.UniqueConstraint(fields=["question", "lawyer"], name="routing_once_per_lawyer")]
        indexes = [models.Index(fields=["lawyer", "created_at"], name="routing_lawyer_day")]

    def __str__(self) -> str:
        return f"{self.question_id} → {self.lawyer_id}"


class MutedArea(models.Model):
    """A practice area for which a lawyer wants no new-question notifications."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="律师", on_delete=models.CASCADE, related_name="muted_areas"
    )
    category = models.ForeignKey(
        "questions.Category", verbose_name="专业领域", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "免打扰领域"
        verbose_name_plural = "免打扰领域"
        constraints = [models.UniqueConstraint(fields=["lawyer", "category"], name="mute_once_per_area")]

    def __str__(self) -> str:
        return f"{self.lawyer_id} 免打扰 {self.category_id}"


class StoredSuggestions(models.Model):
    """可能相关的法律规定 of one question as ranked in the background — by the routing task of a
    new question, or by a job the first page view records when it finds none or finds them
    outdated — so a page request never embeds or ranks (tens of milliseconds a question)."""

    question = models.OneToOneField(
        "questions.Question",
        verbose_name="问题",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="stored_suggestions",
    )
    text_hash = models.CharField(
        "问题文本摘要", max_length=40, help_text="排序时问题标题和描述的摘要（lawqa.embeddings.texts.digest）"
    )
    items = models.JSONField("条文", default=list, help_text="[法律全称, 简称, 条, 之X, 分数]，按相关度排序")
    ranked_at = models.DateTimeField("排序时间", default=timezone.now)

    class Meta:
        verbose_name = "问题的相关法条"
        verbose_name_plural = "问题的相关法条"

    def __str__(self) -> str:
        return f"{self.question_id}: {len(self.items)} 条"
