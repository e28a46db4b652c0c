"""The rate limiter against a real Redis (Django's RedisCache, the production cache): counts from
many nodes at once are exact, and counters expire. Skipped where no Redis answers on
LAWQA_TEST_REDIS_URL (default redis://127.0.0.1:6379/11)."""

import os
import threading
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory

from lawqa.common.ratelimit import RateLimited, check_rate

REDIS_URL = os.environ.get("LAWQA_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def redis_cache(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"lawqa-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _request(ip: str = "10.0.0.1"):
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


def test_check_rate_redis_counts_exactly_across_concurrent_nodes(redis_cache, settings):
    settings.LAWQA_RATE_LIMITS = {"ask": (50, 3600)}
    nodes, per_node = 8, 20
    start = threading.Barrier(nodes)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def node() -> None:
        # Django keeps one cache client per thread: each thread is a node with its own connection.
        assert type(caches["default"]).__name__ == "RedisCache"
        start.wait()
        for _ in range(per_node):
            try:
                check_rate(_request(), "ask")
                allowed = True
            except RateLimited:
                allowed = False
            with lock:
                outcomes.append(allowed)

    threads = [threading.Thread(target=node) for _ in range(nodes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert (outcomes.count(True), outcomes.count(False)) == (50, nodes * per_node - 50)


def test_check_rate_redis_counter_expires_after_its_window(redis_cache, settings):
    client, prefix = redis_cache
    settings.LAWQA_RATE_LIMITS = {"ask": (5, 600)}

    check_rate(_request("10.9.9.9"), "ask")

    [key] = list(client.scan_iter(f"{prefix}:*rl:ask:ip:10.9.9.9:*"))
    assert int(client.get(key)) == 1
    assert 0 < client.ttl(key) <= 605
