"""Fixed-window rate limits on writes, per user and per IP, kept in Django's cache.

Views call `check_rate(request, "ask")` before a write; it raises RateLimited, which the
middleware turns into a 429 page with a Chinese message.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


class RateLimited(Exception):
    """Too many writes of one kind in the current window."""

    def __init__(self, action: str, retry_after: int) -> None:
        super().__init__(action)
        self.action = action
        self.retry_after = retry_after


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_rate(request: HttpRequest, action: str) -> None:
    """Count one `action` for the user and the IP; raise RateLimited past the configured limit."""
    limit, window = settings.LAWQA_RATE_LIMITS[action]
    now = int(time.time())
    bucket = now // window
    keys = [f"rl:{action}:ip:{client_ip(request)}:{bucket}"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"rl:{action}:u:{user.pk}:{bucket}")
    for key in keys:
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
        if count > limit:
            raise RateLimited(action, retry_after=window - now % window)
