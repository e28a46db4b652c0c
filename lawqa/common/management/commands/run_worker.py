"""Run the background task worker: django_tasks_db's `db_worker`, plus what keeps tasks from being
lost (see lawqa/common/taskqueue.py): a task whose worker died is put back in the queue, a task
that raised is retried with backoff.

Give each worker a fixed `--worker-id` (the deploy units use `<node>-worker`): started again
after a crash under the same id, it takes back at once the task it was running; without a fixed
id such a task waits for `LAWQA_TASK_TIMEOUT`.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from lawqa.common import taskqueue

logger = logging.getLogger("lawqa.worker")


class Worker(db_worker.Worker):
    """django_tasks_db's worker with lost-task recovery and retries."""

    def __init__(self, *, restarted_worker_id: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.restarted_worker_id = restarted_worker_id

    def run(self) -> None:
        taskqueue.requeue_lost_tasks(restarted_worker_id=self.restarted_worker_id)
        threading.Thread(target=self._sweep_lost_tasks, name="lost-task-sweep", daemon=True).start()
        super().run()

    def _sweep_lost_tasks(self) -> None:
        # A quarter of the timeout, so a lost task waits at most 1.25 × the timeout (and at least
        # every minute: the sweep reads the RUNNING rows only, it is cheap).
        period = max(1.0, min(60.0, settings.LAWQA_TASK_TIMEOUT / 4))
        while True:
            time.sleep(period)
            try:
                taskqueue.requeue_lost_tasks()
            except DatabaseError:
                logger.warning("lost-task sweep failed; trying again in %.0f s", period, exc_info=True)
            finally:
                connection.close()  # this thread's own connection; not kept open between sweeps

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            close_old_connections()
            taskqueue.retry_failed_task(result_id=db_task_result.pk)


class Command(db_worker.Command):
    help = "运行后台任务进程：执行任务，重试失败的任务，收回进程中断时未完成的任务。"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str | None,
        exclude_queues: str,
        **options,
    ) -> None:
        if reload:
            raise CommandError(
                "run_worker 不支持 --reload：改了代码请重启进程（manage.py serve 会自动重启它）"
            )
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        worker = Worker(
            restarted_worker_id=worker_id,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
