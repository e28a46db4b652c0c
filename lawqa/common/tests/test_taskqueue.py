"""The task queue's guarantees, in-process: a task row commits and rolls back with its write,
lost tasks go back to the queue, failed tasks are retried with backoff and then given up.
The same guarantees against real killed worker processes are in test_faults.py."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lawqa.common import taskqueue
from lawqa.common.tests.probe_tasks import task_probe
from lawqa.legalai.tasks import task_route_question
from lawqa.questions import services as question_services
from lawqa.questions.models import Question

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _ask(asker, area) -> Question:
    return question_services.create_question(
        asker=asker, title="公司拖欠三个月工资怎么办？", detail="入职两年，公司没有发工资。", category=area
    )


def _routing_rows() -> list[list]:
    return [
        r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path=task_route_question.module_path)
    ]


@override_settings(TASKS=DATABASE_TASKS)
def test_enqueue_database_backend_writes_the_task_in_the_writes_transaction(asker, area):
    question = _ask(asker, area)

    assert _routing_rows() == [[question.pk]]
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


@override_settings(TASKS=DATABASE_TASKS)
def test_enqueue_database_backend_rolled_back_write_leaves_no_task(asker, area):
    with pytest.raises(RuntimeError), transaction.atomic():
        _ask(asker, area)
        raise RuntimeError("the request failed after the service returned")

    assert (Question.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_enqueue_other_backend_hands_the_task_over_at_commit(asker, area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        question = _ask(asker, area)

    enqueued = [cb for cb in callbacks if getattr(cb, "func", None) == task_route_question.enqueue]
    assert [cb.args for cb in enqueued] == [(question.pk,)]
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_refused(tmp_path):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        taskqueue.enqueue(task_probe, str(tmp_path / "trace"))


def _running(*, started_ago: float, worker_ids: list[str]) -> DBTaskResult:
    result = DBTaskResult.objects.create(
        args_kwargs={"args": ["/nonexistent"], "kwargs": {}},
        task_path=task_probe.module_path,
        backend_name="default",
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=started_ago)
    )
    return result


def _status(result: DBTaskResult) -> str:
    result.refresh_from_db()
    return result.status


def test_requeue_lost_tasks_puts_back_tasks_running_past_the_timeout(db, settings):
    settings.LAWQA_TASK_TIMEOUT = 60
    lost = _running(started_ago=61, worker_ids=["w1"])
    busy = _running(started_ago=10, worker_ids=["w2"])

    assert taskqueue.requeue_lost_tasks() == 1

    assert (_status(lost), _status(busy)) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def test_requeue_lost_tasks_restarted_worker_takes_back_its_own_task_at_once(db, settings):
    settings.LAWQA_TASK_TIMEOUT = 600
    own = _running(started_ago=1, worker_ids=["old", "node1-worker"])
    other = _running(started_ago=1, worker_ids=["node1-worker", "node2-worker"])

    assert taskqueue.requeue_lost_tasks(restarted_worker_id="node1-worker") == 1

    assert (_status(own), _status(other)) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def test_requeue_lost_tasks_gives_up_after_max_attempts(db, settings):
    settings.LAWQA_TASK_TIMEOUT, settings.LAWQA_TASK_MAX_ATTEMPTS = 60, 3
    poison = _running(started_ago=61, worker_ids=["w1", "w2", "w3"])

    assert taskqueue.requeue_lost_tasks() == 0

    poison.refresh_from_db()
    assert (poison.status, poison.exception_class_path) == (TaskResultStatus.FAILED, taskqueue.WORKER_LOST)


def _failed(*, attempts: int) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": ["/nonexistent"], "kwargs": {}},
        task_path=task_probe.module_path,
        backend_name="default",
        status=TaskResultStatus.FAILED,
        worker_ids=[f"w{n}" for n in range(attempts)],
        exception_class_path="builtins.ConnectionError",
        traceback="ConnectionError: the mail server is down",
    )


@pytest.mark.parametrize(("attempts", "delay"), [(1, 30), (2, 60), (4, 240)])
def test_retry_failed_task_backs_off_exponentially(db, settings, attempts, delay):
    settings.LAWQA_TASK_RETRY_DELAY, settings.LAWQA_TASK_MAX_ATTEMPTS = 30, 5
    result = _failed(attempts=attempts)
    before = timezone.now()

    assert taskqueue.retry_failed_task(result_id=result.pk) is True

    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert (
        before + dt.timedelta(seconds=delay)
        <= result.run_after
        <= timezone.now() + dt.timedelta(seconds=delay)
    )
    assert list(DBTaskResult.objects.ready()) == []  # not before the delay


def test_retry_failed_task_gives_up_after_max_attempts(db, settings):
    settings.LAWQA_TASK_MAX_ATTEMPTS = 3
    result = _failed(attempts=3)

    assert taskqueue.retry_failed_task(result_id=result.pk) is False

    assert _status(result) == TaskResultStatus.FAILED
