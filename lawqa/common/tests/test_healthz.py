"""/healthz: 200 when the database, the cache and this node's search index are fine, 503 with
the failing check named otherwise."""

import pytest

from lawqa.questions import services as question_services
from lawqa.search import index, vectors


@pytest.fixture
def node_index(db, settings, tmp_path):
    """This test's own index directory, built from the database (text only)."""
    settings.LAWQA_INDEX_DIR = tmp_path / "index"
    index.reset_reader()
    vectors.reset_reader()
    yield lambda: index.rebuild(vectors=False)
    index.reset_reader()
    vectors.reset_reader()


def _ask(asker, area, n: int):
    return question_services.create_question(
        asker=asker,
        title=f"公司拖欠工资怎么办（第{n}次）",
        detail="入职两年，公司没有发工资。",
        category=area,
    )


def test_healthz_fine_node_answers_200(client, node_index, settings):
    settings.LAWQA_NODE_NAME = "node1"
    node_index()

    response = client.get("/healthz")

    report = response.json()
    assert (response.status_code, report["ok"], report["node"]) == (200, True, "node1")
    assert {name: check["ok"] for name, check in report["checks"].items() if name != "vectors"} == {
        "database": True,
        "cache": True,
        "index": True,
        "tasks": True,
    }
    assert report["checks"]["index"]["lag"] == 0
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_missing_index_answers_503(client, node_index):
    response = client.get("/healthz")

    report = response.json()
    assert (response.status_code, report["ok"], report["checks"]["index"]["ok"]) == (503, False, False)
    assert report["checks"]["database"]["ok"] is True


def test_healthz_index_too_far_behind_answers_503(client, node_index, settings, asker, area):
    settings.LAWQA_HEALTHZ_MAX_INDEX_LAG = 2
    node_index()
    for n in range(3):
        _ask(asker, area, n)

    response = client.get("/healthz")

    check = response.json()["checks"]["index"]
    assert (response.status_code, check["ok"], check["lag"]) == (503, False, 3)


def test_healthz_index_a_little_behind_still_serves(client, node_index, settings, asker, area):
    settings.LAWQA_HEALTHZ_MAX_INDEX_LAG = 2
    node_index()
    _ask(asker, area, 1)

    response = client.get("/healthz")

    assert (response.status_code, response.json()["checks"]["index"]["lag"]) == (200, 1)


def test_healthz_unreachable_cache_answers_503(client, node_index, settings):
    node_index()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }

    response = client.get("/healthz")

    check = response.json()["checks"]["cache"]
    assert (response.status_code, check["ok"], check["error"]) == (503, False, "ConnectionError")


def test_healthz_post_refused(client):
    assert client.post("/healthz").status_code == 405
