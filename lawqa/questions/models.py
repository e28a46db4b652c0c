from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Category(models.Model):
    """A practice area (婚姻家庭, 劳动纠纷 …); questions and lawyers belong to areas."""

    name = models.CharField("名称", max_length=20, unique=True)
    slug = models.SlugField("网址标识", max_length=40, unique=True)
    description = models.CharField("说明", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "专业领域"
        verbose_name_plural = "专业领域"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("questions:area", args=[self.slug])


class QuestionQuerySet(models.QuerySet):
    def visible(self) -> "QuestionQuerySet":
        return self.filter(is_hidden=False)


class Question(models.Model):
    """A legal question asked by a user, answered by verified lawyers."""

    class Status(models.TextChoices):
        OPEN = "open", "待解答"
        ANSWERED = "answered", "已解答"
        ACCEPTED = "accepted", "已采纳"
        CLOSED = "closed", "已关闭"

    title = models.CharField("标题", max_length=50)
    detail = models.TextField("问题描述", max_length=3000, blank=True)
    category = models.ForeignKey(
        Category, verbose_name="专业领域", on_delete=models.PROTECT, related_name="questions"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提问人", on_delete=models.PROTECT, related_name="questions"
    )
    is_anonymous = models.BooleanField("匿名提问", default=False)
    province = models.CharField("所在省份", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    view_count = models.PositiveIntegerField("浏览次数", default=0)
    answer_count = models.PositiveIntegerField("回答数", default=0)
    is_hidden = models.BooleanField("已隐藏", default=False)
    source_id = models.CharField("导入来源编号", max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField("提问时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "问题"
        verbose_name_plural = "问题"
        # Visibility is filtered, not indexed: SQLite compiles is_hidden=False as NOT "is_hidden",
        # which cannot use an index column, and almost every question is visible anyway.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="question_latest"),
            models.Index(fields=["category", "-created_at", "-id"], name="question_area_latest"),
            models.Index(fields=["status", "-created_at", "-id"], name="question_status_latest"),
            models.Index(fields=["category", "status", "is_hidden"], name="question_area_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", args=[self.pk])

    @property
    def asker_display(self) -> str:
        return "匿名用户" if self.is_anonymous else self.asker.display_name

    @property
    def is_open_for_answers(self) -> bool:
        return self.status != self.Status.CLOSED and not self.is_hidden


class AnswerQuerySet(models.QuerySet):
    def visible(self) -> "AnswerQuerySet":
        return self.filter(is_hidden=False)


class Answer(models.Model):
    """A verified lawyer's answer to a question, written in markdown."""

    question = models.ForeignKey(
        Question, verbose_name="问题", on_delete=models.CASCADE, related_name="answers"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="律师", on_delete=models.PROTECT, related_name="answers"
    )
    body = models.TextField("回答内容", max_length=10000)
    body_html = models.TextField("回答内容（HTML）", blank=True)
    helpful_count = models.PositiveIntegerField("有帮助", default=0)
    is_accepted = models.BooleanField("已采纳", default=False)
    is_hidden = models.BooleanField("已隐藏", default=False)
    created_at = models.DateTimeField("回答时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-is_accepted", "-helpful_count", "created_at", "id"]
        verbose_name = "回答"
        verbose_name_plural = "回答"
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(is_accepted=True),
                name="one_accepted_answer_per_question",
            ),
        ]
        indexes = [models.Index(fields=["lawyer", "-created_at"], name="answer_lawyer_latest")]

    def __str__(self) -> str:
        return f"{self.lawyer} 对「{self.question}」的回答"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class FollowUp(models.Model):
    """A 追问 by the asker under an answer, or the answering lawyer's reply to it."""

    class Kind(models.TextChoices):
        QUESTION = "question", "追问"
        REPLY = "reply", "律师回复"

    answer = models.ForeignKey(
        Answer, verbose_name="回答", on_delete=models.CASCADE, related_name="followups"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", on_delete=models.PROTECT, related_name="followups"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    body = models.TextField("内容", max_length=1000)
    is_hidden = models.BooleanField("已隐藏", default=False)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "追问与回复"
        verbose_name_plural = "追问与回复"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.body[:20]}"


class AnswerVote(models.Model):
    """One user's 有帮助 vote on an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "有帮助投票"
        verbose_name_plural = "有帮助投票"
        constraints = [models.UniqueConstraint(fields=["answer", "user"], name="one_vote_per_user_answer")]

    def __str__(self) -> str:
        return f"{self.user} → {self.answer_id}"
