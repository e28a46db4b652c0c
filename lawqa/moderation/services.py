"""Reports, hiding and unhiding, deleting answers; every action is logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawqa.accounts.models import User
from lawqa.lawyers import services as lawyer_services
from lawqa.questions import rules as question_rules
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer, FollowUp, Question
from lawqa.search import services as search_services

from .models import ModerationLog, Report


def _log(actor: User, action: str, target: Question | Answer | FollowUp, note: str = "") -> None:
    ModerationLog.objects.create(
        actor=actor, action=action, target_type=target._meta.model_name, target_id=target.pk, note=note[:300]
    )


def _require_moderator(user: User) -> None:
    if not question_rules.can_moderate(user):
        raise PermissionDenied("只有版主或管理员可以执行此操作")


@transaction.atomic
def report_content(
    *, reporter: User, target: Question | Answer | FollowUp, reason: str, detail: str = ""
) -> Report:
    """File a report; it waits in the moderation queue. One open report per user and target."""
    if not reporter.is_authenticated:
        raise PermissionDenied("请先登录后再举报")
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": [ValidationError("请选择举报原因", code="reason_required")]})
    field = target._meta.model_name
    if Report.objects.filter(reporter=reporter, status=Report.Status.OPEN, **{field: target}).exists():
        raise ValidationError("您已举报过该内容，我们会尽快处理", code="already_reported")
    return Report.objects.create(
        reporter=reporter, reason=reason, detail=(detail or "").strip()[:300], **{field: target}
    )


def _after_visibility_change(question: Question, lawyer_ids: set[int]) -> None:
    question_services.refresh_question_state(question=question)
    for lawyer_id in lawyer_ids:
        lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
    search_services.mark_question_changed(question_id=question.pk)


@transaction.atomic
def set_question_hidden(*, question: Question, hidden: bool, by: User, note: str = "") -> Question:
    """Hide or unhide a question; its lawyers' helped counts follow."""
    _require_moderator(by)
    question.is_hidden = hidden
    question.save(update_fields=["is_hidden", "updated_at"])
    lawyer_ids = set(question.answers.values_list("lawyer_id", flat=True))
    _after_visibility_change(question, lawyer_ids)
    _log(by, "hide" if hidden else "unhide", question, note)
    return question


@transaction.atomic
def set_answer_hidden(*, answer: Answer, hidden: bool, by: User, note: str = "") -> Answer:
    """Hide or unhide an answer; a hidden answer loses its accepted mark."""
    _require_moderator(by)
    # Work on the stored row: a stale instance could say "not accepted" and leave the mark behind.
    answer = Answer.objects.select_related("question").select_for_update().get(pk=answer.pk)
    answer.is_hidden = hidden
    fields = ["is_hidden", "updated_at"]
    if hidden and answer.is_accepted:
        answer.is_accepted = False
        fields.append("is_accepted")
    answer.save(update_fields=fields)
    _after_visibility_change(answer.question, {answer.lawyer_id})
    _log(by, "hide" if hidden else "unhide", answer, note)
    return answer


@transaction.atomic
def set_followup_hidden(*, followup: FollowUp, hidden: bool, by: User, note: str = "") -> FollowUp:
    _require_moderator(by)
    followup.is_hidden = hidden
    followup.save(update_fields=["is_hidden"])
    _log(by, "hide" if hidden else "unhide", followup, note)
    return followup


@transaction.atomic
def delete_answer(*, answer: Answer, by: User, note: str = "") -> None:
    """Remove an answer for good (admins and moderators)."""
    _require_moderator(by)
    question, lawyer_id = answer.question, answer.lawyer_id
    _log(by, "delete", answer, note)
    answer.delete()
    _after_visibility_change(question, {lawyer_id})


@transaction.atomic
def resolve_report(*, report: Report, by: User, hide: bool) -> Report:
    """Close a report: hide its target, or dismiss it."""
    _require_moderator(by)
    target = report.target
    if hide:
        if isinstance(target, Question):
            set_question_hidden(question=target, hidden=True, by=by, note=f"举报#{report.pk}")
        elif isinstance(target, Answer):
            set_answer_hidden(answer=target, hidden=True, by=by, note=f"举报#{report.pk}")
        else:
            set_followup_hidden(followup=target, hidden=True, by=by, note=f"举报#{report.pk}")
    report.status = Report.Status.HIDDEN if hide else Report.Status.DISMISSED
    report.handled_by = by
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    return report
