"""Ask first, sign up after: a visitor's question waits in their server-side session until they
have an account.

A visitor's ask form is checked like anyone's (validation, the masking preview, the rate limit)
and then kept — already masked — in the session instead of being published. Registering and
logging in keep the session's data (Django gives the session a new key, the data stays), and
both call `publish_pending_draft` right after signing the user in: the draft goes through the
usual `services.create_question` (masking again, the practice area chosen or preselected on the
form, routing to lawyers) and the user lands on the published question with a confirmation.
A draft older than LAWQA_ASK_DRAFT_MAX_AGE_HOURS is dropped instead of published.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lawqa.moderation import queries as moderation_queries
from lawqa.privacy import services as privacy_services

from . import rules, services
from .models import Question

SESSION_KEY = "lawqa_ask_draft"
# Tag of the confirmation message; the ask form's autosave (static/js/site.js) clears the
# browser copy of the draft when a page carries it.
PUBLISHED_TAG = "ask-published"


def save_draft(request: HttpRequest, cleaned: dict) -> dict:
    """Keep the visitor's checked ask form in their session (masked: the raw numbers are never
    stored, not even in the session)."""
    draft = {
        "title": privacy_services.mask_public_text(cleaned["title"]).text,
        "detail": privacy_services.mask_public_text(cleaned.get("detail", "")).text,
        "category": cleaned["category"].slug,
        "province": cleaned.get("province", ""),
        "is_anonymous": bool(cleaned.get("is_anonymous")),
        "saved_at": timezone.now().isoformat(),
    }
    request.session[SESSION_KEY] = draft
    return draft


def pending_draft(request: HttpRequest) -> dict | None:
    """The session's draft while it is fresh enough to publish; a stale or damaged one is dropped."""
    draft = request.session.get(SESSION_KEY)
    if not isinstance(draft, dict):
        return None
    saved_at = parse_datetime(str(draft.get("saved_at", "")))
    max_age = dt.timedelta(hours=settings.LAWQA_ASK_DRAFT_MAX_AGE_HOURS)
    if saved_at is None or timezone.now() - saved_at > max_age or not draft.get("title"):
        discard_draft(request)
        return None
    return draft


def discard_draft(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def publish_pending_draft(request: HttpRequest) -> Question | None:
    """Publish the session's draft as the signed-in user's question (create_question: masking,
    validation, routing) and say so; returns the question, or None when there is no draft or it
    cannot be published (then the user is told why and the ask page shows the draft again)."""
    draft = pending_draft(request)
    if draft is None or not rules.can_ask(request.user):
        return None
    try:
        question = services.create_question(
            asker=request.user,
            title=draft["title"],
            detail=draft.get("detail", ""),
            category=draft.get("category"),
            is_anonymous=bool(draft.get("is_anonymous")),
            province=draft.get("province", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        reason = " ".join(getattr(error, "messages", [])) or str(error)
        messages.error(request, f"您之前填写的问题还没有发布：{reason}。请在提问页修改后再提交。")
        return None
    discard_draft(request)
    messages.success(
        request,
        moderation_queries.held_notice(question)
        or "您之前填写的问题已发布，律师会尽快为您解答。有新回答时我们会通知您。",
        extra_tags=PUBLISHED_TAG,
    )
    return question
