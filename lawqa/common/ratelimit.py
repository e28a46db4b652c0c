"""Fixed-window rate limits on writes, per user, per IP and per API token, kept in Django's cache.

Views call `check_rate(request, "ask")` before a write, so a refused request changes nothing; it
raises RateLimited, which `common.middleware.RateLimitedMiddleware` turns into a 429 page with a
Chinese message (and the API into a JSON 429). Limits are `settings.LAWQA_RATE_LIMITS`:
action -> (count, seconds). With several server processes the cache must be shared, or each
process counts on its own: Redis (LAWQA_REDIS_URL) counts with one atomic INCR per hit, so nodes
never lose each other's hits; the database cache, the zero-setup fallback, increments by read
and write, so under concurrent hits of one key it can undercount a little.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# Used for an action missing from LAWQA_RATE_LIMITS: refuse nothing reasonable, stop floods.
DEFAULT_LIMIT = (60, 3600)


class RateLimited(Exception):
    """Too many writes of one kind in the current window."""

    def __init__(self, action: str, retry_after: int) -> None:
        super().__init__(action)
        self.action = action
        self.retry_after = retry_after


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind LAWQA_TRUSTED_PROXY_COUNT proxies, read from X-Forwarded-For.

    Only the hops our own proxies appended are trusted, so a client cannot pick its address by
    sending the header itself.
    """
    ip = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.LAWQA_TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            ip = hops[-proxies]
    return ip


def axes_client_ip(request: HttpRequest) -> str | None:
    """client_ip for django-axes: None when the request carries no usable address (e.g. a login
    made in code), because axes stores it in an IP column that PostgreSQL type-checks."""
    ip = client_ip(request)
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def rate_key_ip(ip: str) -> str:
    """An IPv6 client owns a whole /64, so it is counted as one; IPv4 addresses count alone."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def _keys(request: HttpRequest, action: str, bucket: int) -> list[str]:
    """The counters one request adds to: its IP, its user, and the API token it came with (set on
    the request by lawqa.api.auth), so a program is limited per token as well as per account."""
    keys = [f"rl:{action}:ip:{rate_key_ip(client_ip(request))}:{bucket}"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"rl:{action}:u:{user.pk}:{bucket}")
    token = getattr(request, "api_token", None)
    if token is not None:
        keys.append(f"rl:{action}:t:{token.pk}:{bucket}")
    return keys


def check_rate(request: HttpRequest, action: str) -> None:
    """Count one `action` for the user, the IP and the API token; raise RateLimited past any limit."""
    limit, window = settings.LAWQA_RATE_LIMITS.get(action, DEFAULT_LIMIT)
    now = int(time.time())
    bucket = now // window
    keys = _keys(request, action, bucket)
    counts = [_hit(key, window) for key in keys]
    if max(counts) > limit:
        raise RateLimited(action, retry_after=window - now % window)


def rate_remaining(request: HttpRequest, action: str) -> int:
    """How many more `action`s the request's user and IP may do in this window (for tests and UI)."""
    limit, window = settings.LAWQA_RATE_LIMITS.get(action, DEFAULT_LIMIT)
    keys = _keys(request, action, int(time.time()) // window)
    return max(0, limit - max(cache.get(key, 0) for key in keys))
