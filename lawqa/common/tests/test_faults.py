"""Fault tests of the task queue and the supervisor, with real processes killed by SIGKILL on a
throwaway site (its own database and var/). Run only these with `pytest -m fault`.

The index-side faults (indexer killed, corrupt index, wiped node) are in lawqa/search/tests.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from lawqa.common.tests.faultsite import BASE_DIR, FaultSite, fault_site, wait_for

pytestmark = pytest.mark.fault


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> FaultSite:
    with fault_site(tmp_path_factory.mktemp("faults")) as s:
        yield s


@pytest.fixture
def processes():
    """Processes a test starts; whatever is still running at the end is killed."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


ENQUEUE_PROBE = """
from django.db import transaction
from lawqa.common import taskqueue
from lawqa.common.tests.probe_tasks import {task}
with transaction.atomic():
    taskqueue.enqueue({task}, *{args!r})
"""

TASK_STATES = """
import json
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.order_by("enqueued_at")
print(json.dumps([[r.status, len(r.worker_ids)] for r in rows if r.args_kwargs["args"][:1] == [{path!r}]]))
"""


def _states(site: FaultSite, trace: Path) -> list[list]:
    return json.loads(site.python(TASK_STATES.format(path=str(trace))).stdout)


def _worker(site: FaultSite, processes: list, log: Path, *args: str, **env: str) -> subprocess.Popen:
    process = site.popen("run_worker", "--interval", "0.2", "--no-startup-delay", *args, log=log, **env)
    processes.append(process)
    return process


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


@pytest.mark.parametrize(
    ("restart_id", "timeout"),
    [
        pytest.param("fault-w1", "600", id="restarted-under-the-same-id"),
        pytest.param("fault-w2", "2", id="another-worker-after-the-timeout"),
    ],
)
def test_worker_killed_mid_task_task_completes_after_restart(site, processes, tmp_path, restart_id, timeout):
    trace = tmp_path / "trace"
    site.python(ENQUEUE_PROBE.format(task="task_probe", args=(str(trace), 2.0)))
    worker = _worker(
        site, processes, tmp_path / "w1.log", "--worker-id", "fault-w1", LAWQA_TASK_TIMEOUT=timeout
    )
    wait_for(lambda: _lines(trace) == ["start"], timeout=60, what="the task to start")

    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert (_lines(trace), _states(site, trace)) == (["start"], [["RUNNING", 1]])

    _worker(site, processes, tmp_path / "w2.log", "--worker-id", restart_id, LAWQA_TASK_TIMEOUT=timeout)
    wait_for(lambda: "done" in _lines(trace), timeout=60, what="the task to run again and finish")

    assert _lines(trace) == ["start", "start", "done"]
    wait_for(
        lambda: _states(site, trace) == [["SUCCESSFUL", 2]], timeout=10, what="the task to be marked done"
    )


def test_failing_task_retried_until_it_succeeds(site, tmp_path):
    trace = tmp_path / "trace"
    site.python(ENQUEUE_PROBE.format(task="task_probe_flaky", args=(str(trace), 2)))

    run = subprocess.run(
        site.manage("run_worker", "--batch", "--no-startup-delay"),
        cwd=BASE_DIR,
        env=site.env(LAWQA_TASK_RETRY_DELAY="0"),
        capture_output=True,
        timeout=120,
    )

    assert run.returncode == 0
    assert (_lines(trace), _states(site, trace)) == (["try", "try", "try"], [["SUCCESSFUL", 3]])


CRASH_AFTER_COMMIT = """
import os, signal
from django.db import transaction
from lawqa.accounts.models import User
from lawqa.lawyers import services as lawyer_services
from lawqa.questions import services as question_services
from lawqa.questions.models import Category

area = Category.objects.get(slug="labor")
admin = User.objects.create_user(username="fault-admin", password="x", role=User.Role.ADMIN, is_staff=True)
lawyer = User.objects.create_user(username="fault-lawyer", password="x", email="lawyer@example.com")
profile = lawyer_services.apply_as_lawyer(
    user=lawyer, real_name="张律师", license_no="11101201910000001", firm="北京市某某律师事务所",
    province="北京", city="北京", areas=[area],
)
lawyer_services.approve_lawyer(profile=profile, by=admin)
asker = User.objects.create_user(username="fault-asker", password="x")
with transaction.atomic():
    # Registered first, so it is the first thing to run after COMMIT: the process dies before
    # any hook the service registered (where the routing task used to be enqueued).
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    question_services.create_question(
        asker=asker, title="公司拖欠三个月工资怎么办？", detail="入职两年，公司没有发工资。", category=area
    )
print("survived the crash")
"""

ROUTING_STATE = """
import json
from django_tasks_db.models import DBTaskResult
from lawqa.legalai.models import Routing
from lawqa.legalai.tasks import task_route_question
from lawqa.questions.models import Question
question = Question.objects.get(title="公司拖欠三个月工资怎么办？")
tasks = DBTaskResult.objects.filter(task_path=task_route_question.module_path)
print(json.dumps({
    "tasks": [[t.status, t.args_kwargs["args"] == [question.pk]] for t in tasks],
    "routed": list(Routing.objects.filter(question=question).values_list("lawyer__username", flat=True)),
}))
"""


def test_crash_between_commit_and_enqueue_loses_no_task(site):
    crash = site.python(CRASH_AFTER_COMMIT, check=False)
    assert (crash.returncode, crash.stdout) == (-signal.SIGKILL, ""), crash.stderr[-2000:]

    after_crash = json.loads(site.python(ROUTING_STATE).stdout)
    assert after_crash == {"tasks": [["READY", True]], "routed": []}

    subprocess.run(
        site.manage("run_worker", "--batch", "--no-startup-delay"),
        cwd=BASE_DIR,
        env=site.env(),
        check=True,
        timeout=120,
    )
    after_worker = json.loads(site.python(ROUTING_STATE).stdout)
    assert after_worker == {"tasks": [["SUCCESSFUL", True]], "routed": ["fault-lawyer"]}


def _children(pid: int) -> dict[int, str]:
    """The running child processes of `pid`: pid → command line."""
    found = {}
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except FileNotFoundError:
            continue
        found[int(child)] = cmdline
    return found


def _child(pid: int, command: str) -> int | None:
    return next(
        (child for child, cmdline in _children(pid).items() if f"manage.py {command}" in cmdline), None
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_supervisor_restarts_a_killed_child(site, processes, tmp_path):
    port = _free_port()
    serve = site.popen("serve", f"127.0.0.1:{port}", log=tmp_path / "serve.log", LAWQA_NODE_NAME="fault-node")
    processes.append(serve)
    home = f"http://127.0.0.1:{port}/"
    wait_for(lambda: _status(home) == 200, timeout=60, what="the site to answer")
    web, worker, indexer = (_child(serve.pid, name) for name in ("runserver", "run_worker", "run_indexer"))

    os.kill(worker, signal.SIGKILL)
    restarted = wait_for(
        lambda: (pid := _child(serve.pid, "run_worker")) not in (None, worker) and pid,
        timeout=30,
        what="the worker to be started again",
    )

    assert (_child(serve.pid, "runserver"), _child(serve.pid, "run_indexer")) == (web, indexer)
    assert _status(home) == 200
    assert "worker 进程已退出（返回码 -9）" in (tmp_path / "serve.log").read_text()
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=30) == 0
    assert [pid for pid in (web, restarted, indexer) if Path(f"/proc/{pid}").exists()] == []
