"""Tasks the task-queue tests run in a real worker process: each leaves a trace in a file, so a
test can see when a task started, how often it ran and whether it finished."""

import time
from pathlib import Path

from django_tasks import task


@task()
def task_probe(path: str, sleep: float = 0.0) -> None:
    """Append "start", wait `sleep` seconds, append "done"."""
    trace = Path(path)
    with trace.open("a") as f:
        f.write("start\n")
    time.sleep(sleep)
    with trace.open("a") as f:
        f.write("done\n")


@task()
def task_probe_flaky(path: str, failures: int) -> None:
    """Append "try"; raise on the first `failures` tries, succeed after."""
    trace = Path(path)
    with trace.open("a") as f:
        f.write("try\n")
    if trace.read_text().count("try") <= failures:
        raise ConnectionError("the mail server is down (probe)")
