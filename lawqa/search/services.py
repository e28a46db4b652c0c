"""Writes for search: the change log every node's indexer reads, and the nodes' positions.

Domain services call `mark_question_changed` in their transaction whenever a question's title,
detail, area, visibility, answers or status change (or it is deleted): the log entry commits
with the change or not at all. Each node's indexer (`manage.py run_indexer`, in every
deployment) applies the log to its own indexes; nothing here touches an index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Now

from .models import IndexNode, SearchOutbox, SimilarAnswer


def related_cache_key(question_id: int) -> str:
    return f"search:related:{question_id}"


@transaction.atomic
def mark_question_changed(*, question_id: int) -> None:
    """Append a log entry: the question must be re-indexed (or removed if hidden or gone) on
    every node. Also drops the question's cached 相关问题 once the transaction commits."""
    SearchOutbox.objects.create(question_id=question_id, op=SearchOutbox.Op.INDEX)
    transaction.on_commit(lambda: cache.delete(related_cache_key(question_id)))


@transaction.atomic
def mark_questions_changed(*, question_ids: Iterable[int]) -> None:
    """`mark_question_changed` for many questions in one INSERT (bulk import)."""
    ids = list(question_ids)
    SearchOutbox.objects.bulk_create(SearchOutbox(question_id=i, op=SearchOutbox.Op.INDEX) for i in ids)
    transaction.on_commit(lambda: cache.delete_many([related_cache_key(i) for i in ids]))


@transaction.atomic
def report_node(
    *,
    name: str,
    position: int | None = None,
    since: dt.datetime | None = None,
    vector_position: int | None = None,
    vector_since: dt.datetime | None = None,
) -> IndexNode:
    """Record a node's heartbeat and, where given, how far its indexes have read the log."""
    node, _ = IndexNode.objects.select_for_update().get_or_create(name=name, defaults={"position": 0})
    fields = ["heartbeat"]
    node.heartbeat = Now()
    if position is not None:
        node.position, node.since = position, since
        fields += ["position", "since"]
    if vector_position is not None:
        node.vector_position, node.vector_since = vector_position, vector_since
        fields += ["vector_position", "vector_since"]
    node.save(update_fields=fields)
    node.refresh_from_db()
    return node


@transaction.atomic
def hold_log(*, name: str, position: int, vectors: bool = True) -> None:
    """Before a node builds its indexes from the database: register it at `position` (for its
    vector index too when `vectors`) so that no node prunes the entries it will need afterwards."""
    defaults = {"position": position, "since": None, "heartbeat": Now()}
    if vectors:
        defaults |= {"vector_position": position, "vector_since": None}
    IndexNode.objects.update_or_create(name=name, defaults=defaults)


@transaction.atomic
def touch_node(*, name: str) -> bool:
    """Refresh a node's heartbeat; False when the node has no row (new, renamed, or forgotten by
    `prune_log` after LAWQA_INDEX_NODE_TIMEOUT, when log entries it needed may be gone)."""
    return IndexNode.objects.filter(name=name).update(heartbeat=Now()) == 1


@transaction.atomic
def prune_log(*, now: dt.datetime) -> int:
    """Forget nodes silent for LAWQA_INDEX_NODE_TIMEOUT (they rebuild when they come back), then
    delete log entries every remaining node has passed for good: id at or below every cursor's
    position and older than every cursor's `since` (so no reader checks it again). The newest
    entry is always kept, so the sequence never goes back (SQLite reuses a freed top id)."""
    cutoff = now - dt.timedelta(seconds=settings.LAWQA_INDEX_NODE_TIMEOUT)
    IndexNode.objects.filter(heartbeat__lt=cutoff).delete()
    cursors = []
    for pos, since, vpos, vsince in IndexNode.objects.values_list(
        "position", "since", "vector_position", "vector_since"
    ):
        cursors.append((pos, since))
        if vpos is not None:
            cursors.append((vpos, vsince))
    if not cursors or any(since is None for _, since in cursors):
        return 0  # no node yet, or one is building: it holds everything after its position
    position = min(p for p, _ in cursors)
    since = min(s for _, s in cursors)
    newest = SearchOutbox.objects.aggregate(top=Max("id"))["top"] or 0
    deleted, _ = SearchOutbox.objects.filter(id__lte=min(position, newest - 1), created__lt=since).delete()
    return deleted


def refresh_similar_answers(*, question_id: int) -> int:
    """Recompute a question's 类似问题的律师解答 (background only: the routing task, the setup
    command): while it waits for its first answer, the best answers of the most similar
    answered questions; nothing once it is answered, closed, hidden or gone. Returns how many
    were stored. The ranking runs before the write's transaction."""
    from lawqa.questions.models import Question

    from .queries import similar_answer_ids  # queries imports this module

    question = Question.objects.filter(pk=question_id).first()
    waiting = question is not None and question.status == Question.Status.OPEN and not question.is_hidden
    answer_ids = similar_answer_ids(question) if waiting else []
    set_similar_answers(question_id=question_id, answer_ids=answer_ids)
    return len(answer_ids)


@transaction.atomic
def set_similar_answers(*, question_id: int, answer_ids: list[int]) -> None:
    """Replace the question's 类似问题的律师解答 with `answer_ids`, best first."""
    store_similar_answers(answers_by_question={question_id: answer_ids})


@transaction.atomic
def store_similar_answers(*, answers_by_question: dict[int, list[int]]) -> None:
    """Replace the 类似问题的律师解答 of many questions at once (question id → answer ids)."""
    SimilarAnswer.objects.filter(question_id__in=list(answers_by_question)).delete()
    SimilarAnswer.objects.bulk_create(
        SimilarAnswer(question_id=question_id, answer_id=answer_id, rank=rank)
        for question_id, answer_ids in answers_by_question.items()
        for rank, answer_id in enumerate(answer_ids, 1)
    )
