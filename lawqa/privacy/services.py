"""Privacy writes other apps call: masking public text, erasing an account, purging old records."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from lawqa.accounts.services import NICKNAME_RULE
from lawqa.common.text import clean_fields

from .masking import MaskResult, mask_text
from .queries import is_actor_field, login_records, user_relations

logger = logging.getLogger(__name__)

DELETED_NICKNAME = "已注销用户"


def mask_public_text(text: str) -> MaskResult:
    """Mask personal data in text that will be shown publicly, stored or indexed.

    Every public write (question title and detail, answers, follow-ups) goes through here before
    it is saved, so the raw numbers never reach the database, the search index or e-mails.
    """
    return mask_text(text or "")


# Form fields the masking preview knows, in display order, with the names shown to the author.
PREVIEW_FIELDS = {"title": "问题标题", "detail": "问题描述", "body": "正文"}


def masking_previews(fields: Mapping[str, str]) -> list[dict]:
    """What masking will change in submitted form text, for the preview the author sees before
    publishing: one entry per field that holds personal data, with the masked text cut into
    (text, kind label) segments and the findings (label, masked form, reason). Render it with
    {% include "privacy/_mask_preview.html" %} and context `mask_previews`."""
    previews = []
    for name, label in PREVIEW_FIELDS.items():
        result = mask_public_text(fields.get(name) or "")
        if result.findings:
            previews.append({"label": label, "segments": _segments(result), "findings": result.findings})
    return previews


def _segments(result: MaskResult) -> list[tuple[str, str]]:
    """The masked text cut into (text, label) pieces; label is "" for untouched text."""
    pieces, pos = [], 0
    for finding in result.findings:
        start, end = finding.span
        if start < pos:
            continue
        pieces.append((result.text[pos:start], ""))
        pieces.append((result.text[start:end], finding.label))
        pos = end
    pieces.append((result.text[pos:], ""))
    return [(text, label) for text, label in pieces if text]


@transaction.atomic
def correct_personal_info(*, user, nickname: str, email: str, province: str):
    """Let the user correct their own personal fields (个人信息保护法 第四十六条, 更正权)."""
    user.nickname = clean_fields({"nickname": (nickname, NICKNAME_RULE)})["nickname"]
    user.email = (email or "").strip()
    user.province = province or ""
    user.save(update_fields=["nickname", "email", "province"])
    return user


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = text.replace(needle, "*" * len(needle))
    return text


def _identifiers(user) -> list[str]:
    """Strings that name the user, longest first, for scrubbing them out of their own posts."""
    email = user.email or ""
    values = {user.get_username(), user.first_name, user.last_name, getattr(user, "nickname", ""), email}
    if "@" in email:
        values.add(email.split("@")[0])
    return sorted((v for v in values if v and len(v) >= 2), key=len, reverse=True)


def _erase_sessions(user) -> int:
    """Delete the user's database sessions (Django does not index sessions by user)."""
    doomed = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def delete_account(*, user) -> None:
    """Erase `user`'s personal data (个人信息保护法 第四十七条) while their public posts stay.

    - questions stay, made anonymous; follow-ups, supplements and ratings stay; the user's name,
      e-mail and nickname are scrubbed out of their questions, follow-ups, supplements, ratings,
      the answers to them and the notifications quoting them; the search index is told to
      refresh; their 关注 / 同问 are deleted and the questions' counts recomputed;
    - a verified lawyer's answers stay attributed to the public practice record (name, firm and
      city; the licence number stays as the verification record, unpublished); the bio is erased;
      an unverified application is deleted;
    - votes, reports, notifications and every other row that only belongs to the user are deleted
      (as deleting the user would cascade), login records and sessions are erased;
    - the account row stays only as an anonymous anchor for the posts: no name, e-mail, password
      or province, inactive.
    """
    from lawqa.lawyers.models import LawyerProfile
    from lawqa.questions import services as question_services
    from lawqa.questions.models import (
        Answer,
        AnswerRating,
        AnswerRevision,
        AnswerVote,
        FollowUp,
        Question,
        QuestionSupplement,
    )
    from lawqa.search import services as search_services
    from lawqa.statutes import services as statute_services

    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    needles = _identifiers(user)
    username = user.get_username()

    for question in Question.objects.filter(asker=user):
        question.is_anonymous = True
        question.title = _scrub(question.title, needles)
        question.detail = _scrub(question.detail, needles)
        question.save(update_fields=["is_anonymous", "title", "detail", "updated_at"])
        search_services.mark_question_changed(question_id=question.pk)
    for followup in FollowUp.objects.filter(author=user) | FollowUp.objects.filter(
        answer__question__asker=user
    ):
        if any(n in followup.body for n in needles):
            followup.body = _scrub(followup.body, needles)
            followup.save(update_fields=["body"])
    # The asker's supplements and ratings (and the lawyers' replies to them) stay, without the name.
    for supplement in QuestionSupplement.objects.filter(question__asker=user):
        if any(n in supplement.body for n in needles):
            supplement.body = _scrub(supplement.body, needles)
            supplement.save(update_fields=["body"])
    for rating in AnswerRating.objects.filter(answer__question__asker=user):
        if any(n in rating.comment or n in rating.reply for n in needles):
            rating.comment = _scrub(rating.comment, needles)
            rating.reply = _scrub(rating.reply, needles)
            rating.save(update_fields=["comment", "reply"])
    # 关注 / 同问 go, and the counts on the questions they were on follow.
    question_services.remove_user_follows(user=user)
    # Lawyers often greet the asker by name; those answers stay but lose the name.
    for answer in Answer.objects.filter(question__asker=user):
        if any(n in answer.body for n in needles):
            answer.body = _scrub(answer.body, needles)
            answer.body_html = statute_services.render_answer_html(answer.body)
            answer.save(update_fields=["body", "body_html", "updated_at"])
    # … and so do their earlier versions, which the public revision history shows.
    for revision in AnswerRevision.objects.filter(answer__question__asker=user):
        if any(n in revision.body for n in needles):
            revision.body = _scrub(revision.body, needles)
            revision.save(update_fields=["body"])
    _scrub_notifications_about(user, needles)

    for vote in AnswerVote.objects.filter(user=user):
        Answer.objects.filter(pk=vote.answer_id).update(helpful_count=F("helpful_count") - 1)

    profile = LawyerProfile.objects.filter(user=user).first()
    keep_profile = bool(
        profile and profile.is_verified and Answer.objects.filter(lawyer=user, is_hidden=False).exists()
    )
    if keep_profile:
        profile.bio = ""
        profile.rejection_reason = ""
        profile.save(update_fields=["bio", "rejection_reason"])

    handled = {
        ("questions", "question", "asker"),
        ("questions", "answer", "lawyer"),
        ("questions", "followup", "author"),
        ("questions", "questionfollow", "user"),
    }
    if keep_profile:
        handled.add(("lawyers", "lawyerprofile", "user"))
    for model, field in user_relations():
        key = (model._meta.app_label, model._meta.model_name, field.name)
        if key in handled or model is user_model:
            continue
        rows = model._default_manager.filter(**{field.name: user})
        if field.many_to_many:
            for obj in rows:
                getattr(obj, field.name).remove(user)
        elif is_actor_field(model, field) or field.remote_field.on_delete is models.SET_NULL:
            rows.update(**{field.name: None})
        elif field.remote_field.on_delete is models.CASCADE:
            rows.delete()
        else:  # PROTECT and friends: a new relation nobody taught this function about
            logger.warning("delete_account: left %s rows pointing at user %s", key, user.pk)

    _erase_admin_history(user, profile if not keep_profile else None)
    _erase_task_records(user)
    for _label, record in login_records(username):
        record.delete()
    _erase_sessions(user)

    user.username = f"deleted-{user.pk}-{secrets.token_hex(4)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.nickname = DELETED_NICKNAME
    user.province = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    if not keep_profile:
        user.role = user_model.Role.ASKER
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _scrub_notifications_about(user, needles: list[str]) -> None:
    """Other users' notifications quote the user's question titles; scrub the user's name there."""
    try:
        model = apps.get_model("notifications", "Notification")
    except LookupError:
        return
    for note in model.objects.filter(question__asker=user):
        if any(n in note.title for n in needles):
            note.title = _scrub(note.title, needles)
            note.save(update_fields=["title"])


def _erase_task_records(user) -> None:
    """Background-task rows whose arguments carry the user's e-mail (password reset requests)."""
    if not user.email:
        return
    try:
        model = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return
    model.objects.filter(args_kwargs__icontains=user.email).delete()


def _erase_admin_history(user, profile) -> None:
    """Admin log entries about the user (their object_repr holds the name)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    targets = [(ContentType.objects.get_for_model(user), user.pk)]
    if profile is not None:
        targets.append((ContentType.objects.get_for_model(profile), profile.pk))
    for content_type, pk in targets:
        LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).delete()


def purge_expired_records(*, now=None) -> dict[str, int]:
    """Delete what the privacy policy says we keep only for a while (LAWQA_RETENTION_DAYS)."""
    now = now or timezone.now()
    days = settings.LAWQA_RETENTION_DAYS
    purged: dict[str, int] = {}
    purged["sessions"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    cutoff = now - timedelta(days=days["login_records"])
    for label, field in (
        ("axes.AccessLog", "attempt_time"),
        ("axes.AccessAttempt", "attempt_time"),
        ("axes.AccessFailureLog", "attempt_time"),
    ):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        purged[label] = model.objects.filter(**{f"{field}__lt": cutoff}).delete()[0]
    try:
        task_model = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        task_model = None
    if task_model is not None:
        cutoff = now - timedelta(days=days["task_results"])
        purged["task_results"] = task_model.objects.filter(finished_at__lt=cutoff).delete()[0]
    return purged
