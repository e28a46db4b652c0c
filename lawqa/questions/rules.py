"""Who may do what with questions and answers. Services check these; templates only mirror them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lawqa.accounts.models import User

    from .models import Answer, Question


def is_verified_lawyer(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    profile = getattr(user, "lawyer_profile", None)
    return profile is not None and profile.is_verified


def can_ask(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_answer(user: User | None, question: Question) -> bool:
    return is_verified_lawyer(user) and question.is_open_for_answers and question.asker_id != user.pk


def can_follow_up(user: User | None, answer: Answer) -> bool:
    """The asker asks follow-ups; the answering lawyer replies to them."""
    if user is None or not user.is_authenticated or answer.is_hidden or answer.question.is_hidden:
        return False
    if answer.question.status == answer.question.Status.CLOSED:
        return False
    return user.pk in (answer.question.asker_id, answer.lawyer_id)


def can_accept(user: User | None, answer: Answer) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and answer.question.asker_id == user.pk
        and not answer.is_hidden
        and not answer.question.is_hidden
        and answer.question.status != answer.question.Status.CLOSED
    )


def can_vote(user: User | None, answer: Answer) -> bool:
    return user is not None and user.is_authenticated and user.pk != answer.lawyer_id and not answer.is_hidden


def can_moderate(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_moderator)


def can_close(user: User | None, question: Question) -> bool:
    return bool(user and user.is_authenticated and (user.pk == question.asker_id or user.is_moderator))


def can_view(user: User | None, question: Question) -> bool:
    return not question.is_hidden or can_moderate(user)


def can_follow(user: User | None, question: Question) -> bool:
    """关注 and 同问: anyone signed in, on a visible question that is not their own (the asker is
    told about every answer anyway, and cannot have 'the same question' as themselves)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and not question.is_hidden
        and question.asker_id != user.pk
    )


def can_supplement(user: User | None, question: Question) -> bool:
    """补充问题: only the asker, on their visible question that is not closed."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and question.asker_id == user.pk
        and not question.is_hidden
        and question.status != question.Status.CLOSED
    )


def can_rate(user: User | None, answer: Answer) -> bool:
    """评价: the asker rates a visible answer to their question (also after it was closed)."""
    return bool(
        user
        and user.is_authenticated
        and answer.question.asker_id == user.pk
        and not answer.is_hidden
        and not answer.question.is_hidden
    )


def can_reply_to_rating(user: User | None, answer: Answer) -> bool:
    """The rated lawyer answers the asker's 评价 (once: the service refuses a second reply)."""
    return bool(
        user
        and user.is_authenticated
        and user.pk == answer.lawyer_id
        and not answer.is_hidden
        and not answer.question.is_hidden
    )


def can_edit_answer(user: User | None, answer: Answer) -> bool:
    """A verified lawyer edits their own answer — also while it waits for a moderator, never
    once a moderator hid it — on a visible question (closed ones too: a correction is welcome)."""
    return (
        is_verified_lawyer(user)
        and user.pk == answer.lawyer_id
        and (answer.is_held or not answer.is_hidden)
        and not answer.question.is_hidden
    )
