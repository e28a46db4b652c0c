"""Background tasks that cannot be lost, on django-tasks with its database backend (django_tasks_db).

Three things django_tasks_db 0.13 does not do on its own, added here without a broker of ours:

- `enqueue` records a task inside the write's transaction: the task row commits or rolls back
  with the write, so no crash between commit and enqueue can lose it, and no worker sees it
  before the write is visible.
- `requeue_lost_tasks` puts a task back in the queue when its worker died while running it
  (RUNNING for longer than `LAWQA_TASK_TIMEOUT`, or last claimed by a worker that is starting
  again under the same id).
- `retry_failed_task` schedules another try, with exponential backoff, for a task that raised.

A task is tried at most `LAWQA_TASK_MAX_ATTEMPTS` times in all. Every task therefore may run
more than once, and its handler must be idempotent (docs/tasks.md says how each one is).
`manage.py run_worker` is the worker that applies all of this.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Recorded on a task given up because its worker died on every attempt (e.g. killed for memory).
WORKER_LOST = "lawqa.common.taskqueue.WorkerLost"


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Record `task(*args, **kwargs)` as part of the current transaction.

    With the database backend the task row is written now, on the write's own connection, and
    commits with it. Any other backend (the immediate backend of the tests) is handed the task
    when the transaction commits — the moment a worker would first see the database row, so
    tests run tasks in production's order. Must be called inside the write's transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("taskqueue.enqueue belongs inside the transaction of the write that implies it")
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(functools.partial(task.enqueue, *args, **kwargs))


def _give_up_or_requeue(result: DBTaskResult, now: dt.datetime) -> str:
    if len(result.worker_ids) >= settings.LAWQA_TASK_MAX_ATTEMPTS:
        result.status = TaskResultStatus.FAILED
        result.finished_at = now
        result.exception_class_path = WORKER_LOST
        result.traceback = f"任务运行中工作进程退出，已尝试 {len(result.worker_ids)} 次，不再重试"
        result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        return "failed"
    result.status = TaskResultStatus.READY
    result.save(update_fields=["status"])
    return "requeued"


@transaction.atomic
def requeue_lost_tasks(*, restarted_worker_id: str | None = None) -> int:
    """Put back in the queue the tasks whose worker died while running them: those RUNNING for
    longer than `LAWQA_TASK_TIMEOUT` seconds, and (when a worker with a fixed id starts) those
    it was running itself when it was killed. A task already tried `LAWQA_TASK_MAX_ATTEMPTS`
    times is marked failed instead. Returns how many tasks were put back."""
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.LAWQA_TASK_TIMEOUT)
    running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
    requeued = 0
    for result in running.only("id", "status", "worker_ids", "started_at", "task_path"):
        own = restarted_worker_id is not None and result.worker_ids[-1:] == [restarted_worker_id]
        if own or (result.started_at is not None and result.started_at < cutoff):
            outcome = _give_up_or_requeue(result, now)
            requeued += outcome == "requeued"
            logger.warning(
                "task %s (%s) lost its worker after %d attempt(s): %s",
                result.id,
                result.task_path,
                len(result.worker_ids),
                outcome,
            )
    return requeued


@transaction.atomic
def retry_failed_task(*, result_id: Any) -> bool:
    """Schedule another try of a task that raised, after `LAWQA_TASK_RETRY_DELAY` seconds doubled
    per earlier attempt, unless it has had `LAWQA_TASK_MAX_ATTEMPTS` tries. The error of the last
    try stays on the row until a try succeeds. Returns whether a retry was scheduled."""
    result = (
        DBTaskResult.objects.select_for_update().filter(pk=result_id, status=TaskResultStatus.FAILED).first()
    )
    if result is None:
        return False
    attempts = len(result.worker_ids)
    if attempts >= settings.LAWQA_TASK_MAX_ATTEMPTS:
        logger.error("task %s (%s) failed %d times; giving up", result.id, result.task_path, attempts)
        return False
    delay = settings.LAWQA_TASK_RETRY_DELAY * 2 ** max(0, attempts - 1)
    result.status = TaskResultStatus.READY
    result.run_after = timezone.now() + dt.timedelta(seconds=delay)
    result.finished_at = None
    result.save(update_fields=["status", "run_after", "finished_at"])
    logger.warning(
        "task %s (%s) failed (attempt %d); retry in %d s", result.id, result.task_path, attempts, delay
    )
    return True
