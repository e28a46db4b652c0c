from django.db import models
from django.urls import reverse

from lawqa.statutes.library import article_label


class LawQuerySet(models.QuerySet):
    def listed(self) -> "LawQuerySet":
        """One row per law name: the current version, or the last one of a repealed law."""
        return self.filter(models.Q(is_current=True) | models.Q(status=Law.Status.REPEALED))


class Law(models.Model):
    """One version of a statute document (法律, 行政法规, 司法解释, 部门规章) from the bundled library."""

    class Status(models.TextChoices):
        CURRENT = "现行有效", "现行有效"
        REVISED = "已修订", "已修订"
        REPEALED = "已废止", "已废止"

    source_id = models.CharField("来源编号", max_length=64, unique=True)
    slug = models.CharField("网址名", max_length=240, unique=True)
    name = models.CharField("简称", max_length=200, db_index=True)
    title = models.CharField("全称", max_length=300)
    subtitle = models.CharField("副标题", max_length=300, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    level = models.CharField("效力级别", max_length=20, db_index=True)
    category = models.CharField("分类", max_length=50, blank=True)
    promulgated_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    version = models.CharField("版本", max_length=20, blank=True)
    status = models.CharField("时效性", max_length=8, choices=Status.choices, default=Status.CURRENT)
    is_current = models.BooleanField("现行版本", default=False)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    repealed_by = models.CharField("废止依据", max_length=200, blank=True)
    successor_name = models.CharField("替代法律", max_length=200, blank=True)
    header = models.TextField("制定与修改记录", blank=True)
    body = models.TextField("条文以外的正文", blank=True)
    toc = models.JSONField("目录", default=list, blank=True)
    article_count = models.PositiveIntegerField("条文数", default=0)
    parse_problems = models.JSONField("解析问题", default=list, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LawQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name", "-promulgated_on"]
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"
        indexes = [models.Index(fields=["is_current", "level", "name"], name="law_current_level_name")]

    def __str__(self) -> str:
        return self.title if self.is_current else f"{self.title}（{self.version or self.status}）"

    def get_absolute_url(self) -> str:
        return reverse("statutes:law", args=[self.slug])

    @property
    def has_text(self) -> bool:
        return bool(self.article_count or self.body)


class Article(models.Model):
    """One article (条) of a law version, with its heading path and paragraphs (款) and items (项)."""

    law = models.ForeignKey(Law, verbose_name="法律", on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField("条号")
    sub = models.PositiveSmallIntegerField("之X", default=0)
    position = models.PositiveIntegerField("顺序")
    headings = models.JSONField("编章节", default=list, blank=True)
    text = models.TextField("条文")

    class Meta:
        ordering = ["law", "position"]
        verbose_name = "条文"
        verbose_name_plural = "条文"
        constraints = [
            models.UniqueConstraint(fields=["law", "number", "sub"], name="article_unique_number"),
        ]

    def __str__(self) -> str:
        return f"《{self.law.name}》{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("statutes:article", args=[self.law.slug, self.slug])

    @property
    def label(self) -> str:
        return article_label(self.number, self.sub)

    @property
    def slug(self) -> str:
        return f"{self.number}-{self.sub}" if self.sub else str(self.number)

    @property
    def paragraphs(self) -> list[dict]:
        """The 款 of the article, each with its 项: [{"text": …, "items": […]}]."""
        out: list[dict] = []
        for line in self.text.split("\n"):
            if line.startswith("（") and out:
                out[-1]["items"].append(line)
            else:
                out.append({"text": line, "items": []})
        return out

    @property
    def heading_path(self) -> str:
        return " › ".join(self.headings)


class Citation(models.Model):
    """A statute citation found in an answer, with its check result (answer ↔ article)."""

    class Status(models.TextChoices):
        OK = "ok", "有效"
        REPEALED = "repealed", "已废止"
        NOT_FOUND = "not_found", "条文不存在"
        UNKNOWN_LAW = "unknown_law", "未收录的法律"

    answer = models.ForeignKey(
        "questions.Answer", verbose_name="回答", on_delete=models.CASCADE, related_name="citations"
    )
    law = models.ForeignKey(
        Law, verbose_name="法律", null=True, blank=True, on_delete=models.SET_NULL, related_name="citations"
    )
    article = models.ForeignKey(
        Article,
        verbose_name="条文",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citations",
    )
    law_name = models.CharField("法律名称", max_length=200)
    number = models.PositiveIntegerField("条号")
    sub = models.PositiveSmallIntegerField("之X", default=0)
    paragraph = models.PositiveSmallIntegerField("款", null=True, blank=True)
    item = models.PositiveSmallIntegerField("项", null=True, blank=True)
    status = models.CharField("检查结果", max_length=12, choices=Status.choices)
    raw = models.CharField("原文", max_length=200)
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["answer", "position"]
        verbose_name = "引用"
        verbose_name_plural = "引用"
        indexes = [models.Index(fields=["status"], name="citation_status")]

    def __str__(self) -> str:
        return f"《{self.law_name}》{article_label(self.number, self.sub)}（{self.get_status_display()}）"
