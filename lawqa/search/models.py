from django.db import models
from django.utils import timezone


class SearchOutbox(models.Model):
    """A question whose index entry must be refreshed; the indexer applies and deletes these rows."""

    class Op(models.TextChoices):
        INDEX = "index", "更新索引"
        DELETE = "delete", "移出索引"

    # No foreign key on purpose: the row must outlive a deleted question so the indexer removes it.
    question_id = models.BigIntegerField("问题编号")
    op = models.CharField("操作", max_length=10, choices=Op.choices, default=Op.INDEX)
    created = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = "搜索索引待办"
        verbose_name_plural = "搜索索引待办"

    def __str__(self) -> str:
        return f"{self.get_op_display()} #{self.question_id}"
