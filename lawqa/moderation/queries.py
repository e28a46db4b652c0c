"""Reads of moderation: what an author is told about their held posts, the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lawqa.questions.models import Answer, Question

from .models import HeldPost

if TYPE_CHECKING:
    from lawqa.accounts.models import User

_KIND = {"question": "问题", "answer": "回答"}


def held_notice(target: Question | Answer) -> str | None:
    """The message for the author right after posting: why their post waits for a moderator
    (one query, only when it is held), or None when it was published."""
    if not target.is_held:
        return None
    field = target._meta.model_name
    held = HeldPost.objects.filter(status=HeldPost.Status.PENDING, **{field: target}).first()
    kind = _KIND[field]
    if held is not None and held.source == HeldPost.Source.PREMODERATION:
        why = "新注册用户的前几条内容需要版主审核"
    elif held is not None:
        why = f"系统发现其中{held.reason}（站外联系方式、链接或大段重复的内容需要人工确认）"
    else:
        why = "它需要版主审核"
    return f"您的{kind}已提交，但暂未公开：{why}。审核通过后会自动公开，在此之前只有您自己能看到。"


def held_posts_of(user: User, limit: int = 20) -> list[HeldPost]:
    """The user's posts waiting for (or refused by) a moderator, newest first, with their
    targets' titles (one query)."""
    return list(
        HeldPost.objects.filter(author=user)
        .exclude(status=HeldPost.Status.APPROVED)
        .select_related("question", "answer__question")
        .order_by("-created_at", "-id")[:limit]
    )


def pending_queue() -> QuerySet[HeldPost]:
    """The held queue for moderators: oldest first, with author and targets."""
    return (
        HeldPost.objects.filter(status=HeldPost.Status.PENDING)
        .select_related("author", "question", "answer__question")
        .order_by("created_at", "id")
    )
