from django_tasks import task

from . import index


@task()
def task_apply_search_outbox() -> int:
    """Apply pending search outbox rows (waits for the writer lock if another indexer holds it)."""
    return index.apply_outbox()
