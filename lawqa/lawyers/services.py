"""Lawyer applications, verification and the public practice counters."""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from lawqa.accounts.models import User
from lawqa.common.text import TextRule, clean_fields
from lawqa.moderation import rules as moderation_rules
from lawqa.questions.models import Answer, AnswerRating, Category

from . import ranking, rules
from .models import LawyerProfile, license_validator

REAL_NAME_RULE = TextRule(field="real_name", label="真实姓名", min_chars=1, max_chars=20)
FIRM_RULE = TextRule(field="firm", label="执业机构", min_chars=1, max_chars=60)
CITY_RULE = TextRule(field="city", label="执业城市", min_chars=1, max_chars=20)
BIO_RULE = TextRule(field="bio", label="个人简介", max_chars=1000, multiline=True)
REJECTION_RULE = TextRule(
    field="rejection_reason",
    label="未通过原因",
    code="reason",
    min_chars=1,
    max_chars=200,
    multiline=True,
    required_message="请填写未通过的原因，申请人会看到这条说明",
)


def normalize_license_no(value: str) -> str:
    """Full-width digits (as a Chinese IME types them) become ASCII; spaces between digit groups go."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def validate_license_no(value: str) -> None:
    """17 ASCII digits (`\\d` alone would also let other scripts' digits through)."""
    license_validator(value)
    if not value.isascii():
        raise ValidationError(license_validator.message, code=license_validator.code)


@transaction.atomic
def apply_as_lawyer(
    *,
    user: User,
    real_name: str,
    license_no: str,
    firm: str,
    province: str,
    city: str,
    areas: Iterable[Category],
    bio: str = "",
) -> LawyerProfile:
    """Create or resubmit the user's lawyer application; it waits for an admin's review."""
    moderation_rules.check_can_write(user)
    if not rules.can_apply(user):
        raise PermissionDenied("您已提交过律师认证申请，请等待审核结果")
    license_no = normalize_license_no(license_no)
    validate_license_no(license_no)
    areas = list(areas)
    if not areas:
        raise ValidationError({"areas": [ValidationError("请至少选择一个擅长领域", code="areas_required")]})
    if len(areas) > 5:
        raise ValidationError({"areas": [ValidationError("擅长领域最多选择5个", code="too_many_areas")]})
    if LawyerProfile.objects.filter(license_no=license_no).exclude(user=user).exists():
        raise ValidationError(
            {
                "license_no": [
                    ValidationError("该执业证号已被其他账户使用，如有疑问请联系管理员", code="license_taken")
                ]
            }
        )
    text = clean_fields(
        {
            "real_name": (real_name, REAL_NAME_RULE),
            "firm": (firm, FIRM_RULE),
            "city": (city, CITY_RULE),
            "bio": (bio, BIO_RULE),
        }
    )
    profile, _ = LawyerProfile.objects.update_or_create(
        user=user,
        defaults={
            "real_name": text["real_name"],
            "license_no": license_no,
            "firm": text["firm"],
            "province": province,
            "city": text["city"],
            "bio": text["bio"],
            "status": LawyerProfile.Status.PENDING,
            "rejection_reason": "",
            "verified_by": None,
            "verified_at": None,
        },
    )
    profile.areas.set(areas)
    return profile


@transaction.atomic
def approve_lawyer(*, profile: LawyerProfile, by: User) -> LawyerProfile:
    """Verify a lawyer: from now on they may answer and are shown with the 执业律师 badge."""
    if not rules.can_verify(by):
        raise PermissionDenied("只有管理员可以审核律师认证")
    profile.status = LawyerProfile.Status.VERIFIED
    profile.verified_by = by
    profile.verified_at = timezone.now()
    profile.rejection_reason = ""
    profile.save(update_fields=["status", "verified_by", "verified_at", "rejection_reason"])
    if profile.user.role == User.Role.ASKER:
        profile.user.role = User.Role.LAWYER
        profile.user.save(update_fields=["role"])
    return profile


@transaction.atomic
def reject_lawyer(*, profile: LawyerProfile, by: User, reason: str) -> LawyerProfile:
    """Reject an application with a reason the applicant sees on their application page."""
    if not rules.can_verify(by):
        raise PermissionDenied("只有管理员可以审核律师认证")
    reason = clean_fields({"rejection_reason": (reason, REJECTION_RULE)})["rejection_reason"]
    profile.status = LawyerProfile.Status.REJECTED
    profile.rejection_reason = reason
    profile.verified_by = by
    profile.verified_at = timezone.now()
    profile.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
    return profile


# Bump when refresh_lawyer_stats computes something new: `make setup` then recomputes every
# lawyer once (manage.py refresh_lawyer_stats).
STATS_VERSION = 2


def refresh_lawyer_stats(*, lawyer_id: int) -> None:
    """Recompute the lawyer's denormalised counters from visible answers on visible questions,
    and the 推荐分 from them (lawyers.ranking). Called in the transaction of every write that
    changes an input: answering, accepting, rating, editing, hiding, holding and approving.

    helped_count = distinct askers with at least one visible answer from this lawyer;
    median_answer_minutes = median time from a question being asked to this lawyer's answer."""
    visible = Answer.objects.filter(lawyer_id=lawyer_id, is_hidden=False, question__is_hidden=False)
    answer_count = visible.count()
    accepted_count = visible.filter(is_accepted=True).count()
    ratings = dict(
        AnswerRating.objects.filter(answer__in=visible)
        .values_list("score")
        .annotate(n=Count("id"))
        .values_list("score", "n")
    )
    waits = sorted(
        (answered - asked).total_seconds()
        for answered, asked in visible.values_list("created_at", "question__created_at")
    )
    median_minutes = max(0, round(statistics.median(waits) / 60)) if waits else None
    stats = {
        "answer_count": answer_count,
        "accepted_count": accepted_count,
        "median_answer_minutes": median_minutes,
        "rating_satisfied": ratings.get(AnswerRating.Score.SATISFIED, 0),
        "rating_neutral": ratings.get(AnswerRating.Score.NEUTRAL, 0),
        "rating_unsatisfied": ratings.get(AnswerRating.Score.UNSATISFIED, 0),
    }
    LawyerProfile.objects.filter(user_id=lawyer_id).update(
        helped_count=visible.values("question__asker_id").distinct().count(),
        rank_score=ranking.rank_score(
            answers=answer_count,
            accepted=accepted_count,
            satisfied=stats["rating_satisfied"],
            neutral=stats["rating_neutral"],
            unsatisfied=stats["rating_unsatisfied"],
            median_minutes=median_minutes,
        ),
        **stats,
    )
