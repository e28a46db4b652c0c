"""Writes for search: the outbox that tells the indexer what changed.

Domain services call `mark_question_changed` in their transaction whenever a question's
title, detail, area, visibility, answers or status change (or it is deleted). The indexer
(`run_indexer`, or the `task_apply_search_outbox` task) applies the rows; nothing here touches
the index itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import SearchOutbox


def related_cache_key(question_id: int) -> str:
    return f"search:related:{question_id}"


@transaction.atomic
def mark_question_changed(*, question_id: int) -> None:
    """Record that the question must be re-indexed (or removed if it is hidden or gone).

    Also drops the question's cached 相关问题 and, when `LAWQA_SEARCH_ENQUEUE` is on, enqueues
    the indexer task after commit (otherwise the `run_indexer` process picks the row up).
    """
    SearchOutbox.objects.create(question_id=question_id, op=SearchOutbox.Op.INDEX)
    transaction.on_commit(lambda: cache.delete(related_cache_key(question_id)))
    if getattr(settings, "LAWQA_SEARCH_ENQUEUE", False):
        transaction.on_commit(_enqueue_indexer)


def _enqueue_indexer() -> None:
    from .tasks import task_apply_search_outbox

    task_apply_search_outbox.enqueue()
