from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from lawqa.questions.models import Category

license_validator = RegexValidator(
    r"^\d{17}$", message="执业证号应为17位数字，请对照律师执业证核对后重新填写", code="invalid_license_no"
)


class LawyerProfile(models.Model):
    """A lawyer's public practice record and verification state."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        VERIFIED = "verified", "已认证"
        REJECTED = "rejected", "未通过"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="lawyer_profile"
    )
    real_name = models.CharField("真实姓名", max_length=20)
    license_no = models.CharField("执业证号", max_length=17, unique=True, validators=[license_validator])
    firm = models.CharField("执业机构（律师事务所）", max_length=60)
    province = models.CharField("执业省份", max_length=20)
    city = models.CharField("执业城市", max_length=20)
    areas = models.ManyToManyField(Category, verbose_name="擅长领域", related_name="lawyers")
    bio = models.TextField("个人简介", max_length=1000, blank=True)
    status = models.CharField("认证状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.CharField("未通过原因", max_length=200, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField("审核时间", null=True, blank=True)
    applied_at = models.DateTimeField("申请时间", auto_now_add=True)
    helped_count = models.PositiveIntegerField("已帮助人数", default=0)
    answer_count = models.PositiveIntegerField("回答数", default=0)
    accepted_count = models.PositiveIntegerField("被采纳数", default=0)
    # Median minutes from a question being asked to this lawyer's answer (None: no answers yet).
    median_answer_minutes = models.PositiveIntegerField("回答用时中位数（分钟）", null=True, blank=True)
    rating_satisfied = models.PositiveIntegerField("满意评价", default=0)
    rating_neutral = models.PositiveIntegerField("一般评价", default=0)
    rating_unsatisfied = models.PositiveIntegerField("不满意评价", default=0)
    # The 推荐律师 order (lawyers.ranking.rank_score); never influenced by payment.
    rank_score = models.FloatField("推荐分", default=0.0)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "律师资料"
        verbose_name_plural = "律师资料"
        indexes = [
            models.Index(fields=["status", "province", "city"], name="lawyer_directory"),
            models.Index(fields=["status", "-rank_score"], name="lawyer_ranking"),
        ]

    def __str__(self) -> str:
        return f"{self.real_name}（{self.firm}）"

    def get_absolute_url(self) -> str:
        return reverse("lawyers:profile", args=[self.user_id])

    @property
    def place(self) -> str:
        """Province and city, once for a municipality ("北京", not "北京 北京").

        >>> LawyerProfile(province="北京", city="北京").place, LawyerProfile(province="广东", city="深圳").place
        ('北京', '广东 深圳')
        """
        return " ".join(dict.fromkeys(p for p in (self.province, self.city) if p))

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def accepted_percent(self) -> int | None:
        """被采纳率 in whole percent (None before the first answer)."""
        return round(100 * self.accepted_count / self.answer_count) if self.answer_count else None

    @property
    def rating_count(self) -> int:
        return self.rating_satisfied + self.rating_neutral + self.rating_unsatisfied

    @property
    def satisfied_percent(self) -> int | None:
        """满意率 in whole percent of the ratings received (None before the first rating)."""
        return round(100 * self.rating_satisfied / self.rating_count) if self.rating_count else None
