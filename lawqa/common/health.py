"""What /healthz reports about this node: the database, the shared cache, this node's search
indexes (how far behind the change log they are) and the task queue.

Each check returns a dict with at least "ok"; a check that raises is reported as failed with the
exception's class only (no connection strings or paths leave the server). The node is healthy
when the database, the cache and the full-text index are; the vector index and the task queue
are reported for monitoring but do not take the node out of service (search falls back to words
alone, and the queue is shared by all nodes: one stuck worker must not fail every node).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone

# Checks whose failure makes /healthz answer 503.
REQUIRED = ("database", "cache", "index")


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict:
    key = f"healthz:{settings.LAWQA_NODE_NAME}"
    token = uuid.uuid4().hex
    cache.set(key, token, 30)
    return {"ok": cache.get(key) == token, "backend": type(caches["default"]).__name__}


def _within_lag(status: dict) -> dict:
    limit = settings.LAWQA_HEALTHZ_MAX_INDEX_LAG
    if status["ok"] and status["lag"] > limit:
        return {**status, "ok": False, "detail": f"{status['detail']} (more than {limit} behind)"}
    return status


def check_index() -> dict:
    """This node's full-text index exists, is readable and at most LAWQA_HEALTHZ_MAX_INDEX_LAG
    change-log entries behind."""
    from lawqa.search.index import index_status

    return _within_lag(index_status())


def check_vectors() -> dict:
    from lawqa.search.vectors import vector_status

    return _within_lag(vector_status())


def check_tasks() -> dict:
    """Tasks waiting to run, and how long the oldest has waited: a growing wait means no worker
    is running (or it cannot keep up)."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    wait = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "ok": wait < settings.LAWQA_TASK_TIMEOUT,
        "ready": ready.count(),
        "oldest_wait_seconds": round(wait, 1),
    }


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "index": check_index,
    "vectors": check_vectors,
    "tasks": check_tasks,
}


def node_health() -> dict:
    """Run every check (each timed, none allowed to raise) and say whether the node is healthy."""
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = dict(check())
        except Exception as exc:  # noqa: BLE001 — a failing dependency is the answer, not an error
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return {
        "ok": all(results[name]["ok"] for name in REQUIRED),
        "node": settings.LAWQA_NODE_NAME,
        "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        "checks": results,
    }
