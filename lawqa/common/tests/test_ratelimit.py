"""Unit tests of the cache-backed rate limiter."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from lawqa.common.ratelimit import RateLimited, check_rate, client_ip, rate_key_ip, rate_remaining


@pytest.fixture
def rf():
    return RequestFactory()


def _request(rf, ip="10.0.0.1", forwarded=None, user=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = rf.post("/", **extra)
    request.user = user or AnonymousUser()
    return request


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        pytest.param("10.1.2.3", "10.1.2.3", id="ipv4"),
        pytest.param("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64", id="ipv6-slash-64"),
        pytest.param("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64", id="ipv6-same-64"),
        pytest.param("::ffff:10.1.2.3", "10.1.2.3", id="ipv4-mapped"),
        pytest.param("unknown", "unknown", id="not-an-address"),
    ],
)
def test_rate_key_ip_groups_ipv6_by_64(ip, key):
    assert rate_key_ip(ip) == key


def test_client_ip_ignores_forwarded_header_without_trusted_proxy(rf, settings):
    settings.LAWQA_TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(rf, "10.0.0.1", forwarded="1.2.3.4")) == "10.0.0.1"


def test_client_ip_takes_the_hop_our_proxy_appended(rf, settings):
    settings.LAWQA_TRUSTED_PROXY_COUNT = 1

    request = _request(rf, "127.0.0.1", forwarded="6.6.6.6, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"


def test_check_rate_refuses_past_limit_with_retry_after(rf, settings):
    settings.LAWQA_RATE_LIMITS = {"ask": (2, 600)}
    request = _request(rf)
    check_rate(request, "ask")
    check_rate(request, "ask")

    with pytest.raises(RateLimited) as refused:
        check_rate(request, "ask")

    assert refused.value.action == "ask"
    assert 0 < refused.value.retry_after <= 600
    assert rate_remaining(request, "ask") == 0


def test_check_rate_counts_each_action_and_ip_apart(rf, settings):
    settings.LAWQA_RATE_LIMITS = {"ask": (1, 600), "report": (1, 600)}
    check_rate(_request(rf, "10.0.0.1"), "ask")

    check_rate(_request(rf, "10.0.0.1"), "report")
    check_rate(_request(rf, "10.0.0.2"), "ask")


def test_check_rate_unknown_action_uses_default_limit(rf):
    request = _request(rf)

    check_rate(request, "something-new")

    assert rate_remaining(request, "something-new") == 59
