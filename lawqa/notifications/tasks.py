"""INTERIM (lead): the legalai/notifications helper replaces this module, keeping the task name."""

from django_tasks import task


@task()
def task_notify_new_answer(answer_id: int) -> None:
    return None
