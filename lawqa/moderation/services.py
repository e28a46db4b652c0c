"""Reports, hiding and unhiding, deleting answers, the queue of held posts, suspensions; every
action is logged (ModerationLog, actor None for what the spam rules did on their own)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawqa.accounts.models import User
from lawqa.common.text import TextRule, clean_fields
from lawqa.lawyers import services as lawyer_services
from lawqa.privacy import services as privacy_services
from lawqa.questions import rules as question_rules
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer, FollowUp, Question, QuestionSupplement
from lawqa.search import services as search_services

from . import rules
from .models import HeldPost, ModerationLog, Report, Suspension
from .screening import Screening


def _log(
    actor: User | None, action: str, target: Question | Answer | FollowUp | User, note: str = ""
) -> None:
    ModerationLog.objects.create(
        actor=actor, action=action, target_type=target._meta.model_name, target_id=target.pk, note=note[:300]
    )


REPORT_DETAIL_RULE = TextRule(field="detail", label="补充说明", max_chars=300, multiline=True)


def _require_moderator(user: User) -> None:
    if not question_rules.can_moderate(user):
        raise PermissionDenied("只有版主或管理员可以执行此操作")


@transaction.atomic
def report_content(
    *, reporter: User, target: Question | Answer | FollowUp, reason: str, detail: str = ""
) -> Report:
    """File a report; it waits in the moderation queue. One open report per user and target."""
    rules.check_can_write(reporter)
    if not reporter.is_authenticated:
        raise PermissionDenied("请先登录后再举报")
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": [ValidationError("请选择举报原因", code="reason_required")]})
    field = target._meta.model_name
    if Report.objects.filter(reporter=reporter, status=Report.Status.OPEN, **{field: target}).exists():
        raise ValidationError("您已举报过该内容，我们会尽快处理", code="already_reported")
    detail = clean_fields({"detail": (detail, REPORT_DETAIL_RULE)})["detail"]
    return Report.objects.create(reporter=reporter, reason=reason, detail=detail, **{field: target})


def _after_visibility_change(question: Question, lawyer_ids: set[int]) -> None:
    question_services.refresh_question_state(question=question)
    for lawyer_id in lawyer_ids:
        lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
    search_services.mark_question_changed(question_id=question.pk)


@transaction.atomic
def set_question_hidden(*, question: Question, hidden: bool, by: User, note: str = "") -> Question:
    """Hide or unhide a question; its lawyers' helped counts follow. On a question waiting in
    the held queue, unhiding approves it and hiding rejects it."""
    _require_moderator(by)
    pending = _pending_hold(question)
    if pending is not None:
        decide = approve_held_post if not hidden else reject_held_post
        decide(held=pending, by=by, note=note)
        question.refresh_from_db()
        return question
    question_services.set_question_visibility(question=question, hidden=hidden)
    lawyer_ids = set(question.answers.values_list("lawyer_id", flat=True))
    _after_visibility_change(question, lawyer_ids)
    _log(by, "hide" if hidden else "unhide", question, note)
    return question


@transaction.atomic
def set_answer_hidden(*, answer: Answer, hidden: bool, by: User, note: str = "") -> Answer:
    """Hide or unhide an answer; a hidden answer loses its accepted mark. On an answer waiting
    in the held queue, unhiding approves it and hiding rejects it."""
    _require_moderator(by)
    pending = _pending_hold(answer)
    if pending is not None:
        decide = approve_held_post if not hidden else reject_held_post
        decide(held=pending, by=by, note=note)
        answer.refresh_from_db()
        return answer
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
def set_supplement_hidden(
    *, supplement: QuestionSupplement, hidden: bool, by: User, note: str = ""
) -> QuestionSupplement:
    """Hide or unhide one of the asker's 补充问题 (the question itself stays)."""
    _require_moderator(by)
    supplement.is_hidden = hidden
    supplement.save(update_fields=["is_hidden"])
    _log(by, "hide" if hidden else "unhide", supplement, note)
    return supplement


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


# --- Held posts: spam rules and premoderation ----------------------------------------------------


def _pending_hold(target: Question | Answer) -> HeldPost | None:
    field = target._meta.model_name
    return HeldPost.objects.filter(status=HeldPost.Status.PENDING, **{field: target}).first()


@transaction.atomic
def hold_post(
    *, target: Question | Answer, author: User, screening: Screening, is_edit: bool = False
) -> HeldPost:
    """Put `target` — saved hidden and held by questions.services — in the moderation queue with
    why it was held (logged, actor None: the rules did it). An edit of a post already waiting
    updates its queue entry instead of adding a second one."""
    pending = _pending_hold(target)
    fields = {
        "source": screening.source,
        "rules": ",".join(screening.rules)[:200],
        "reason": screening.reason[:200],
        # What matched, masked like everything stored (a moderator sees 138****5678, not the number).
        "evidence": privacy_services.mask_public_text(screening.evidence).text[:300],
    }
    if pending is not None:
        for name, value in fields.items():
            setattr(pending, name, value)
        pending.save(update_fields=list(fields))
        held = pending
    else:
        held = HeldPost.objects.create(
            author=author, is_edit=is_edit, **fields, **{target._meta.model_name: target}
        )
    _log(None, "hold", target, f"{held.get_source_display()}：{screening.reason}")
    return held


def _locked_pending(held: HeldPost) -> HeldPost:
    held = (
        HeldPost.objects.select_for_update(of=("self",)).select_related("question", "answer").get(pk=held.pk)
    )
    if held.status != HeldPost.Status.PENDING:
        raise ValidationError("这条内容已经审核过了", code="already_handled")
    return held


def _close(held: HeldPost, status: str, by: User, note: str) -> None:
    held.status = status
    held.handled_by = by
    held.handled_at = timezone.now()
    held.note = (note or "").strip()[:200]
    held.save(update_fields=["status", "handled_by", "handled_at", "note"])


@transaction.atomic
def approve_held_post(*, held: HeldPost, by: User, note: str = "") -> HeldPost:
    """Publish a held post: visible, counted, indexed and announced as if just posted (an
    approved edit is not announced again)."""
    _require_moderator(by)
    held = _locked_pending(held)
    question_services.release_held_post(target=held.target, announce=not held.is_edit)
    _close(held, HeldPost.Status.APPROVED, by, note)
    _log(by, "approve", held.target, note or held.reason)
    return held


@transaction.atomic
def reject_held_post(*, held: HeldPost, by: User, note: str = "") -> HeldPost:
    """Keep a held post from the public for good: it stays hidden (like a post a moderator hid)
    and its author sees 未通过审核."""
    _require_moderator(by)
    held = _locked_pending(held)
    type(held.target).objects.filter(pk=held.target.pk).update(is_held=False, updated_at=timezone.now())
    _close(held, HeldPost.Status.REJECTED, by, note)
    _log(by, "reject", held.target, note or held.reason)
    return held


# --- Suspensions ----------------------------------------------------------------------------------

SUSPENSION_REASON_RULE = TextRule(
    field="reason",
    label="原因",
    min_chars=2,
    max_chars=200,
    required_message="请填写暂停原因，用户会看到这条说明",
    too_short_message="请填写暂停原因，用户会看到这条说明",
    too_long_message="原因最多200字（现在是{length}字），请精简",
)


def validate_suspension(*, user: User, reason: str, ends_at, by: User) -> str:
    """Check a suspension before it is made (the admin form calls this too); returns the cleaned
    reason. PermissionDenied for a target `by` may not suspend, ValidationError by field."""
    if not rules.can_suspend(by, user):
        raise PermissionDenied("您不能暂停这个账户：只有管理员可以暂停版主，任何人都不能暂停自己或管理员")
    reason = clean_fields({"reason": (reason, SUSPENSION_REASON_RULE)})["reason"]
    if ends_at is None or ends_at <= timezone.now():
        raise ValidationError(
            {"ends_at": [ValidationError("截止时间应晚于现在，请重新选择", code="ends_in_past")]}
        )
    return reason


@transaction.atomic
def suspend_user(*, user: User, reason: str, ends_at, by: User) -> Suspension:
    """Bar `user` from every write until `ends_at`; they see `reason` and the end date on each
    write attempt and on their account page. Logged."""
    reason = validate_suspension(user=user, reason=reason, ends_at=ends_at, by=by)
    suspension = Suspension.objects.create(user=user, reason=reason, ends_at=ends_at, created_by=by)
    _log(by, "suspend", user, f"至{timezone.localtime(ends_at):%Y-%m-%d %H:%M}：{reason}")
    return suspension


@transaction.atomic
def lift_suspension(*, suspension: Suspension, by: User) -> Suspension:
    """End a suspension now (logged); a suspension already over or lifted is left as it is."""
    _require_moderator(by)
    suspension = Suspension.objects.select_for_update().select_related("user").get(pk=suspension.pk)
    if suspension.is_active:
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = by
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        _log(by, "unsuspend", suspension.user, suspension.reason)
    return suspension
