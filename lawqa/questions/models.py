import re
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Anything but letters, digits (any script) and underscores separates the words of a URL slug.
_NOT_WORD = re.compile(r"[\W_]+")
# A question URL keeps this many characters of the title: a Chinese character is 9 bytes once
# percent-encoded, and every link to the question (lists, sitemaps, feeds) carries the slug.
SLUG_MAX_CHARS = 20


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


def title_slug(title: str) -> str:
    """The readable part of a question URL: the title's words joined by hyphens, Chinese kept.

    >>> title_slug("公司拖欠三个月工资怎么办？")
    '公司拖欠三个月工资怎么办'
    >>> title_slug("Ｎ年前的借条，还有效吗? 2万元")
    'n年前的借条-还有效吗-2万元'
    >>> title_slug("？？？")
    'wenti'
    >>> title_slug("我和其他四人合开麻将馆，店面转让费及派出所黑道等28.8万")
    '我和其他四人合开麻将馆-店面转让费及派出'
    """
    slug = _NOT_WORD.sub("-", unicodedata.normalize("NFKC", title)).strip("-").lower()
    return slug[:SLUG_MAX_CHARS].rstrip("-") or "wenti"


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
    # Kept by questions.services.set_follow (never written elsewhere): people following the
    # question for updates, and people who said 同问 (they have the same problem).
    follower_count = models.PositiveIntegerField("关注人数", default=0)
    same_question_count = models.PositiveIntegerField("同问人数", default=0)
    is_hidden = models.BooleanField("已隐藏", default=False)
    # Held for a moderator (spam rules, premoderation of a new account): hidden from the public
    # (is_hidden is set too, so every public read leaves it out) until approved; the author sees it.
    is_held = models.BooleanField("待审核", default=False)
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
            # is_hidden and status ride along so that an area page's ids (and the OFFSET before
            # them, CountedPaginator) come from this index alone, with or without 已解答 / 待解答.
            models.Index(
                fields=["category", "-created_at", "-id", "is_hidden", "status"], name="question_area_latest"
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="question_status_latest"),
            models.Index(fields=["category", "status", "is_hidden"], name="question_area_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The one canonical URL, /questions/<id>-<slug>/; other forms redirect here (301)."""
        return reverse("questions:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return title_slug(self.title)

    @property
    def asker_display(self) -> str:
        return "匿名用户" if self.is_anonymous else self.asker.display_name

    @property
    def is_open_for_answers(self) -> bool:
        return self.status != self.Status.CLOSED and not self.is_hidden


class AreaCount(models.Model):
    """How many visible questions a practice area has in one status: the counts the home page and
    the area pages show, so no page counts the questions table. Kept by questions.services in the
    transaction of every write that creates, moves, hides or changes the status of a question
    (`count_question_move`); `recount_areas` rebuilds them from the questions."""

    category = models.ForeignKey(
        Category, verbose_name="专业领域", on_delete=models.CASCADE, related_name="counts"
    )
    status = models.CharField("状态", max_length=10, choices=Question.Status.choices)
    questions = models.IntegerField("公开问题数", default=0)

    class Meta:
        verbose_name = "领域问题数"
        verbose_name_plural = "领域问题数"
        constraints = [
            models.UniqueConstraint(fields=["category", "status"], name="one_count_per_area_status")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.status}: {self.questions}"


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
    # Held for a moderator, as Question.is_held (is_hidden is set too).
    is_held = models.BooleanField("待审核", default=False)
    created_at = models.DateTimeField("回答时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # When the lawyer last edited the text (the page shows 已编辑 and links the history).
    edited_at = models.DateTimeField("编辑时间", null=True, blank=True)

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


class AnswerRevision(models.Model):
    """One version of an edited answer's text; number 1 is the text as first published."""

    answer = models.ForeignKey(
        Answer, verbose_name="回答", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField("版本")
    body = models.TextField("回答内容", max_length=10000)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编辑人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["answer", "number"]
        verbose_name = "回答修改记录"
        verbose_name_plural = "回答修改记录"
        constraints = [models.UniqueConstraint(fields=["answer", "number"], name="one_revision_number")]

    def __str__(self) -> str:
        return f"回答#{self.answer_id} 第{self.number}版"


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


class QuestionFollow(models.Model):
    """One signed-in user's 关注 (send me new answers and supplements) and/or 同问 on a question."""

    question = models.ForeignKey(
        Question, verbose_name="问题", on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="question_follows",
    )
    notify = models.BooleanField("关注（接收更新）", default=False)
    same_question = models.BooleanField("同问", default=False)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "关注与同问"
        verbose_name_plural = "关注与同问"
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_follow_per_user_question"),
        ]
        indexes = [
            # Fan-out walks a question's followers by id, in batches.
            models.Index(fields=["question", "id"], name="follow_fanout"),
            # 我的关注: a user's follows, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="follow_user_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.question_id}"


class QuestionSupplement(models.Model):
    """补充问题: more detail the asker adds under their question after posting it."""

    question = models.ForeignKey(
        Question, verbose_name="问题", on_delete=models.CASCADE, related_name="supplements"
    )
    body = models.TextField("补充内容", max_length=1000)
    is_hidden = models.BooleanField("已隐藏", default=False)
    created_at = models.DateTimeField("补充时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "问题补充"
        verbose_name_plural = "问题补充"
        indexes = [models.Index(fields=["question", "created_at"], name="supplement_question")]

    def __str__(self) -> str:
        return f"补充：{self.body[:20]}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#supplement-{self.pk}"


class AnswerRating(models.Model):
    """The asker's 评价 of an answer (满意 / 一般 / 不满意, a short comment) and the lawyer's one reply."""

    class Score(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        NEUTRAL = "neutral", "一般"
        UNSATISFIED = "unsatisfied", "不满意"

    answer = models.OneToOneField(
        Answer, verbose_name="回答", on_delete=models.CASCADE, related_name="rating"
    )
    score = models.CharField("评价", max_length=12, choices=Score.choices)
    comment = models.CharField("评价内容", max_length=200, blank=True)
    reply = models.CharField("律师回复", max_length=500, blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    created_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "回答评价"
        verbose_name_plural = "回答评价"
        indexes = [models.Index(fields=["-created_at", "-id"], name="rating_latest")]

    def __str__(self) -> str:
        return f"{self.get_score_display()}：{self.comment[:20]}"
