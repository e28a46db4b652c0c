"""Lawyer applications, verification and the public practice counters."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawqa.accounts.models import User
from lawqa.questions.models import Answer, Category

from . import rules
from .models import LawyerProfile, license_validator


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
    profile, _ = LawyerProfile.objects.update_or_create(
        user=user,
        defaults={
            "real_name": real_name.strip(),
            "license_no": license_no,
            "firm": firm.strip(),
            "province": province,
            "city": city.strip(),
            "bio": bio.strip(),
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
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "rejection_reason": [
                    ValidationError("请填写未通过的原因，申请人会看到这条说明", code="reason_required")
                ]
            }
        )
    profile.status = LawyerProfile.Status.REJECTED
    profile.rejection_reason = reason[:200]
    profile.verified_by = by
    profile.verified_at = timezone.now()
    profile.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
    return profile


def refresh_lawyer_stats(*, lawyer_id: int) -> None:
    """Recompute the lawyer's denormalised counters from visible answers on visible questions.

    helped_count = distinct askers with at least one visible answer from this lawyer."""
    visible = Answer.objects.filter(lawyer_id=lawyer_id, is_hidden=False, question__is_hidden=False)
    LawyerProfile.objects.filter(user_id=lawyer_id).update(
        helped_count=visible.values("question__asker_id").distinct().count(),
        answer_count=visible.count(),
        accepted_count=visible.filter(is_accepted=True).count(),
    )
