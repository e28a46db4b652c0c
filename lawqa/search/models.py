from django.db import models
from django.db.models.functions import Now


class SearchOutbox(models.Model):
    """One entry of the search change log: a question whose index entries must be refreshed.

    Append-only; the id is the log sequence. Every node's indexer reads the log from its own
    position (`IndexNode`); entries are pruned once every recently seen node has passed them.
    """

    class Op(models.TextChoices):
        INDEX = "index", "更新索引"
        DELETE = "delete", "移出索引"

    # No foreign key on purpose: the row must outlive a deleted question so the indexer removes it.
    question_id = models.BigIntegerField("问题编号")
    op = models.CharField("操作", max_length=10, choices=Op.choices, default=Op.INDEX)
    # The database's clock, not the web node's: readers re-check entries younger than their
    # cursor's `since` (a transaction may commit a smaller id after a larger one).
    created = models.DateTimeField("记录时间", db_default=Now(), db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "搜索变更日志"
        verbose_name_plural = "搜索变更日志"

    def __str__(self) -> str:
        return f"{self.get_op_display()} #{self.question_id}"


class IndexNode(models.Model):
    """A node's search indexes as last reported by its indexer: how far each has read the log."""

    name = models.CharField("节点", max_length=100, unique=True)
    position = models.BigIntegerField("全文索引位置", default=0)
    since = models.DateTimeField("全文索引复查起点", null=True, blank=True)
    vector_position = models.BigIntegerField("向量索引位置", null=True, blank=True)
    vector_since = models.DateTimeField("向量索引复查起点", null=True, blank=True)
    heartbeat = models.DateTimeField("最近心跳", db_default=Now())

    class Meta:
        ordering = ["name"]
        verbose_name = "索引节点"
        verbose_name_plural = "索引节点"

    def __str__(self) -> str:
        return self.name


class SimilarAnswer(models.Model):
    """类似问题的律师解答: for a question still waiting for an answer, a lawyer's answer to one of
    the most similar answered questions. Computed in the background (the routing task, and
    `refresh_similar_answers` for imported questions), never on the page request."""

    question = models.ForeignKey(
        "questions.Question", verbose_name="问题", on_delete=models.CASCADE, related_name="similar_answers"
    )
    answer = models.ForeignKey(
        "questions.Answer", verbose_name="类似问题的回答", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField("顺序")

    class Meta:
        ordering = ["question", "rank"]
        verbose_name = "类似问题的律师解答"
        verbose_name_plural = "类似问题的律师解答"
        constraints = [
            models.UniqueConstraint(fields=["question", "rank"], name="similar_answer_question_rank")
        ]

    def __str__(self) -> str:
        return f"#{self.question_id} → 回答 #{self.answer_id}"
