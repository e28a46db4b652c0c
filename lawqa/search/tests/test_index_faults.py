"""Index faults with real processes: the indexer killed with SIGKILL mid-batch, two nodes on one
log. A throwaway site (own database and var/, `lawqa.common.tests.faultsite`); run only the fault
tests with `pytest -m fault`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lawqa.common.tests.faultsite import FaultSite, fault_site, wait_for
from lawqa.search import replica, vecstore

pytestmark = pytest.mark.fault

N_QUESTIONS = 40

ASK = """
from lawqa.accounts.models import User
from lawqa.questions import services
from django.db import transaction
asker = User.objects.create_user(username="asker", password="x-Pass-12345")
with transaction.atomic():  # one commit: an indexer pass sees all of them or none
    for i in range({n}):
        services.create_question(
            asker=asker, title=f"公司拖欠工资第{{i}}个月怎么办", detail=f"老板拖欠工资，第{{i}}个月也没发。", category="labor"
        )
from lawqa.search.models import SearchOutbox
print(SearchOutbox.objects.latest("id").pk)
"""

STATE = """
import json
from lawqa.search import index, vectors
vectors_ok = vectors.current_generation()
print(json.dumps({
    "text": index.index_status(),
    "vectors": vectors.vector_status(),
    "docs": index.searcher().num_docs,
    "vector_count": vectors_ok.count if vectors_ok else None,
}))
"""


def _position(root: Path, kind: str) -> int | None:
    generation = replica.current_generation(root / kind)
    if generation is None:
        return None
    try:
        if kind == "text":
            return replica.read_position(generation / "position.json")[0].position
        return vecstore.read_delta_position(generation)[0]
    except (replica.BadPosition, vecstore.CorruptVectorIndex):
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> FaultSite:
    with fault_site(tmp_path_factory.mktemp("index-faults")) as s:
        yield s


# The indexer of node a with a wide window between the text write and the vector write of the
# pass that applies the batch (and only of that pass: an idle pass must not sleep, or the vector
# side could apply a batch committed during its sleep before the text side), so that the kill
# lands inside it however fast or loaded the machine is.
SLOW_VECTOR_INDEXER = """
import time
from django.core.management import call_command
from lawqa.search import indexer

apply_text, apply_vectors = indexer.index.apply_text, indexer.vector_index.apply_vectors
applied = {"text": 0}


def counting_apply_text(*args, **kwargs):
    applied["text"] = apply_text(*args, **kwargs)
    return applied["text"]


def slow_apply_vectors(*args, **kwargs):
    if applied["text"]:
        time.sleep(8)
    return apply_vectors(*args, **kwargs)


indexer.index.apply_text = counting_apply_text
indexer.vector_index.apply_vectors = slow_apply_vectors
call_command("run_indexer", "--interval", "0.2")
"""


def _popen_python(site: FaultSite, code: str, *, log: Path, **env: str) -> subprocess.Popen:
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=Path(__file__).resolve().parents[3],
            env=site.env(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_indexer_killed_mid_batch_both_nodes_converge(site: FaultSite, tmp_path):
    roots = {name: site.var_dir / f"index-{name}" for name in ("a", "b")}
    env = {name: {"LAWQA_INDEX_DIR": str(root), "LAWQA_NODE_NAME": name} for name, root in roots.items()}
    processes: list[subprocess.Popen] = []
    try:
        processes.append(_popen_python(site, SLOW_VECTOR_INDEXER, log=tmp_path / "a.log", **env["a"]))
        processes.append(site.popen("run_indexer", "--interval", "0.2", log=tmp_path / "b.log", **env["b"]))
        for root in roots.values():
            wait_for(lambda r=root: _position(r, "vectors") is not None, timeout=600, what="first build")

        newest = int(site.python(ASK.format(n=N_QUESTIONS), timeout=300).stdout.split()[-1])
        # Node a has applied the text side of the batch but not yet written the vectors: kill it.
        wait_for(
            lambda: (_position(roots["a"], "text") or 0) >= newest, timeout=600, what="text applied on a"
        )
        killed_mid_batch = (_position(roots["a"], "vectors") or 0) < newest
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait()
        processes[0] = site.popen("run_indexer", "--interval", "0.2", log=tmp_path / "a2.log", **env["a"])

        for root in roots.values():
            for kind in ("text", "vectors"):
                wait_for(
                    lambda r=root, k=kind: (_position(r, k) or 0) >= newest,
                    timeout=600,
                    what=f"{kind} at {root}",
                )
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    for name in roots:
        state = json.loads(site.python(STATE, **env[name]).stdout)
        assert (state["text"]["lag"], state["vectors"]["lag"]) == (0, 0), name
        assert state["docs"] == state["vector_count"] == N_QUESTIONS, name
    assert killed_mid_batch, "the kill came after the vector write: the test did not exercise the crash"
