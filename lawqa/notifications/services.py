"""Writes of the notifications app: notices (in-site, and e-mail as each user chose), e-mail
preferences, one-click unsubscribe, telling a question's followers in batches, the daily digest.

No e-mail leaves during a request. A notice that should be mailed is stored with `mail_due`; in
instant mode the task that mails it is recorded in the notice's own transaction
(lawqa.common.taskqueue), in daily mode the digest task picks it up. A question's followers are
told by one task per LAWQA_NOTIFY_BATCH_SIZE followers, each its own transaction, so 10,000
followers never mean one giant transaction or 10,000 mails from one task. Every mail carries
absolute links to the site and a signed unsubscribe link (also as RFC 8058 List-Unsubscribe
headers). Every step is safe to run twice: a notice is unique per recipient and event, and a
mailed notice is no longer due.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lawqa.common import taskqueue
from lawqa.common.links import site_url
from lawqa.notifications import queries
from lawqa.notifications.models import Notification, NotificationSettings

logger = logging.getLogger(__name__)

Mode = NotificationSettings.EmailMode
Kind = Notification.Kind

UNSUBSCRIBE_SALT = "lawqa.notifications.unsubscribe"
# A digest lists this many notices; more are counted and left to the inbox.
DIGEST_MAX_ITEMS = 20

# Why the recipient gets a mail of this kind (the line above the unsubscribe link).
MAIL_REASONS = {
    Kind.NEW_QUESTION: "您是该领域通过认证的律师，法问会把新问题推送给您",
    Kind.NEW_ANSWER: "您在法问提出了这个问题",
    Kind.FOLLOWED_ANSWER: "您关注了这个问题",
    Kind.SUPPLEMENT: "您关注或解答过这个问题",
    Kind.RATING: "提问人评价了您的回答",
}


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    title: str,
    url: str = "",
    question=None,
    email: bool = True,
    event_key: str = "",
) -> Notification:
    """Store an in-site notice for `recipient`. With `email`, a recipient who has an address and
    has not turned e-mail off gets it by mail: instant mode records the mail task in this
    transaction, daily mode leaves it for the digest. With an `event_key` ("answer:12") a second
    call for the same recipient and event returns the first notice (tasks may run twice)."""
    if event_key:
        existing = Notification.objects.filter(recipient=recipient, event_key=event_key).first()
        if existing is not None:
            return existing
    wants_mail = email and bool(recipient.email) and recipient.is_active
    mode = queries.email_mode(recipient) if wants_mail else Mode.OFF
    note = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        url=url,
        question=question,
        event_key=event_key,
        mail_due=mode != Mode.OFF,
    )
    if mode == Mode.INSTANT:
        _enqueue_mails([note.pk])
    return note


def _enqueue_mails(notification_ids: list[int]) -> None:
    from lawqa.notifications.tasks import task_send_notification_mails

    taskqueue.enqueue(task_send_notification_mails, notification_ids)


# --- E-mail -------------------------------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    """The signed token of `user_id`'s unsubscribe link (no login needed, does not expire)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user_id))


def user_id_from_token(token: str) -> int | None:
    """The user id a valid unsubscribe token names, or None for a forged or damaged one."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def unsubscribe_url(user_id: int) -> str:
    return site_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id)]))


def _footer(user_id: int, reason: str) -> str:
    return (
        "\n\n——\n"
        f"您收到这封邮件，是因为{reason}。\n"
        f"选择即时邮件、每日摘要或不发邮件：{site_url(reverse('notifications:settings'))}\n"
        f"一键退订法问的全部邮件通知（无需登录）：{unsubscribe_url(user_id)}\n"
    )


def _message(*, user_id: int, address: str, subject: str, body: str) -> EmailMessage:
    link = unsubscribe_url(user_id)
    return EmailMessage(
        subject=subject[:120],
        body=body,
        to=[address],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def notice_mail(note: Notification) -> EmailMessage:
    """The instant mail of one notice (its recipient loaded)."""
    recipient = note.recipient
    body = f"{recipient.display_name}，您好：\n\n{note.title}\n\n查看详情：{site_url(note.url or '/')}"
    body += _footer(recipient.pk, MAIL_REASONS.get(note.kind, "您在法问开启了邮件通知"))
    return _message(user_id=recipient.pk, address=recipient.email, subject=f"法问：{note.title}", body=body)


def digest_mail(recipient, notes: list[Notification]) -> EmailMessage:
    """One user's daily digest: their waiting notices, newest first, at most DIGEST_MAX_ITEMS."""
    shown = notes[:DIGEST_MAX_ITEMS]
    lines = [f"{recipient.display_name}，您好：\n", f"过去一天，法问有 {len(notes)} 条与您有关的新消息：\n"]
    for note in shown:
        lines.append(f"· {note.title}\n  {site_url(note.url or '/')}")
    if len(notes) > len(shown):
        lines.append(
            f"\n另有 {len(notes) - len(shown)} 条，请到站内通知查看：{site_url(reverse('notifications:inbox'))}"
        )
    body = "\n".join(lines) + _footer(recipient.pk, "您选择了每天接收一封通知摘要")
    return _message(
        user_id=recipient.pk,
        address=recipient.email,
        subject=f"法问每日摘要：{len(notes)} 条新消息",
        body=body,
    )


def _deliver(mails: Iterable[tuple[list[int], EmailMessage]]) -> int:
    """Send the mails over one connection; each mail's notices are marked sent (no longer due).
    A mail server error stops the run and is raised (the task is retried); what was sent before
    it stays marked, so a retry sends only the rest. Returns how many mails went."""
    sent_ids: list[int] = []
    count = 0
    connection = get_connection()
    try:
        connection.open()
        for note_ids, message in mails:
            message.connection = connection
            message.send()
            sent_ids.extend(note_ids)
            count += 1
    finally:
        connection.close()
        if sent_ids:
            Notification.objects.filter(pk__in=sent_ids).update(mail_due=False, emailed_at=timezone.now())
    return count


def send_notification_mails(*, notification_ids: list[int]) -> int:
    """E-mail each of these notices that still waits for its instant mail. A recipient who has no
    address any more, was deactivated, or no longer wants instant mail gets none (the notice
    stops waiting). Returns how many mails went."""
    notes = list(
        Notification.objects.filter(pk__in=notification_ids, mail_due=True)
        .select_related("recipient", "recipient__notification_settings")
        .order_by("pk")
    )
    mails, dropped = [], []
    for note in notes:
        user = note.recipient
        row = getattr(user, "notification_settings", None)
        mode = row.email_mode if row is not None else Mode.INSTANT
        if not user.email or not user.is_active or mode == Mode.OFF:
            dropped.append(note.pk)
        elif mode == Mode.INSTANT:
            mails.append(([note.pk], notice_mail(note)))
        # daily: left waiting for the digest
    if dropped:
        Notification.objects.filter(pk__in=dropped).update(mail_due=False)
    return _deliver(mails)


# --- Preferences and unsubscribe ----------------------------------------------------------------


@transaction.atomic
def set_email_mode(*, user, mode: str) -> NotificationSettings:
    """Choose how `user`'s notices reach them by e-mail. Leaving the daily digest for another mode
    drops what was waiting for it (the notices stay in the inbox; no late mail goes out)."""
    if mode not in Mode.values:
        raise ValidationError(
            {"email_mode": [ValidationError("请选择一种邮件通知方式", code="invalid_email_mode")]}
        )
    row, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if row.email_mode != mode:
        if mode != Mode.DAILY:
            Notification.objects.filter(recipient=user, mail_due=True).update(mail_due=False)
        row.email_mode = mode
        row.save(update_fields=["email_mode", "updated_at"])
    return row


@transaction.atomic
def unsubscribe(*, token: str):
    """Turn off every notification e-mail of the user the signed `token` names (in-site notices
    go on). Returns the user, or None when the token is not valid."""
    from django.contrib.auth import get_user_model

    user_id = user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return None
    set_email_mode(user=user, mode=Mode.OFF)
    return user


# --- Followers: a question's news, in batches -------------------------------------------------


@dataclass(frozen=True)
class FollowerEvent:
    """News of a followed question: a new answer or a supplement, with what its notice says."""

    key: str
    kind: str
    question_id: int
    title: str
    url: str
    # The author and the asker: told otherwise (or not at all), never as followers.
    skip_user_ids: frozenset[int]


def follower_event(event_key: str) -> FollowerEvent | None:
    """The event `event_key` names ("answer:12", "supplement:3") while it is still public; None
    when it was hidden or deleted meanwhile (followers are then told nothing)."""
    from lawqa.questions.models import Answer, QuestionSupplement

    kind, _, raw_id = event_key.partition(":")
    if not raw_id.isdigit():
        return None
    if kind == "answer":
        answer = Answer.objects.select_related("question").filter(pk=int(raw_id)).first()
        if answer is None or answer.is_hidden or answer.question.is_hidden:
            return None
        question = answer.question
        return FollowerEvent(
            key=event_key,
            kind=Kind.FOLLOWED_ANSWER,
            question_id=question.pk,
            title=f"您关注的问题「{question.title}」有了新的律师解答",
            url=answer.get_absolute_url(),
            skip_user_ids=frozenset({answer.lawyer_id, question.asker_id}),
        )
    if kind == "supplement":
        supplement = QuestionSupplement.objects.select_related("question").filter(pk=int(raw_id)).first()
        if supplement is None or supplement.is_hidden or supplement.question.is_hidden:
            return None
        question = supplement.question
        return FollowerEvent(
            key=event_key,
            kind=Kind.SUPPLEMENT,
            question_id=question.pk,
            title=f"您关注的问题「{question.title}」有了提问人的补充说明",
            url=supplement.get_absolute_url(),
            skip_user_ids=frozenset({question.asker_id}),
        )
    return None


@transaction.atomic
def plan_follower_notices(*, event_key: str) -> int:
    """Cut the followers of the event's question into batches of LAWQA_NOTIFY_BATCH_SIZE (by
    follow id) and record one task per batch in this transaction. Returns the number of batches."""
    from lawqa.notifications.tasks import task_notify_followers_batch
    from lawqa.questions.models import QuestionFollow

    event = follower_event(event_key)
    if event is None:
        return 0
    ids = list(
        QuestionFollow.objects.filter(question_id=event.question_id, notify=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    size = settings.LAWQA_NOTIFY_BATCH_SIZE
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    for batch in batches:
        taskqueue.enqueue(task_notify_followers_batch, event_key, batch[0], batch[-1])
    return len(batches)


@transaction.atomic
def notify_followers_batch(*, event_key: str, first_follow_id: int, last_follow_id: int) -> int:
    """Tell the followers whose follow id lies in [first_follow_id, last_follow_id]: one in-site
    notice each (bulk insert, skipping anyone who already has it), marked for mail as each chose;
    the instant mails' task is recorded in this transaction. Returns how many notices were made."""
    from lawqa.questions.models import QuestionFollow

    event = follower_event(event_key)
    if event is None:
        return 0
    rows = list(
        QuestionFollow.objects.filter(
            question_id=event.question_id,
            notify=True,
            id__gte=first_follow_id,
            id__lte=last_follow_id,
            user__is_active=True,
        )
        .exclude(user_id__in=event.skip_user_ids)
        .values_list("user_id", "user__email", "user__notification_settings__email_mode")
    )
    told = set(
        Notification.objects.filter(event_key=event_key, recipient_id__in=[r[0] for r in rows]).values_list(
            "recipient_id", flat=True
        )
    )
    notes, instant = [], []
    for user_id, address, mode in rows:
        if user_id in told:
            continue
        mode = mode or Mode.INSTANT
        mail = bool(address) and mode != Mode.OFF
        note = Notification(
            recipient_id=user_id,
            kind=event.kind,
            title=event.title[:200],
            url=event.url,
            question_id=event.question_id,
            event_key=event_key,
            mail_due=mail,
        )
        notes.append(note)
        if mail and mode == Mode.INSTANT:
            instant.append(note)
    Notification.objects.bulk_create(notes)
    if instant:
        _enqueue_mails([note.pk for note in instant])
    return len(notes)


# --- Daily digest -------------------------------------------------------------------------------


@transaction.atomic
def plan_digests() -> int:
    """Record one digest task per LAWQA_DIGEST_BATCH_SIZE users who are on the daily digest and
    have notices waiting. Returns the number of batches."""
    from lawqa.notifications.tasks import task_send_digest_batch

    ids = queries.digest_recipient_ids()
    size = settings.LAWQA_DIGEST_BATCH_SIZE
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    for batch in batches:
        taskqueue.enqueue(task_send_digest_batch, batch)
    return len(batches)


def send_digest_batch(*, user_ids: list[int]) -> int:
    """Mail each of these users (still on the daily digest, active, with an address) one digest
    of their waiting notices, over one connection; those notices stop waiting. Returns how many
    mails went."""
    from django.contrib.auth import get_user_model

    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(
            pk__in=user_ids,
            is_active=True,
            notification_settings__email_mode=Mode.DAILY,
        )
        .exclude(email="")
    }
    waiting: dict[int, list[Notification]] = {}
    notes = (
        Notification.objects.filter(recipient_id__in=list(users), mail_due=True)
        .only("id", "recipient_id", "title", "url", "created_at")
        .order_by("recipient_id", "-created_at", "-id")
    )
    for note in notes:
        waiting.setdefault(note.recipient_id, []).append(note)
    mails = (
        ([n.pk for n in user_notes], digest_mail(users[user_id], user_notes))
        for user_id, user_notes in waiting.items()
    )
    return _deliver(mails)


@transaction.atomic
def mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of `by`'s notifications read (no-op when already read or not theirs)."""
    if notification.recipient_id == by.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
