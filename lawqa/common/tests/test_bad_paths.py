"""Every URL pattern the resolver knows answers bad input with 4xx, never 5xx (issue 11): path
parameters that are huge, zero, padded, malformed, NUL-carrying or very long; page numbers past
any page; a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE. Anonymous and as a superuser (who gets
past every permission check, so the views themselves see the input).

A new pattern is covered as soon as it is routed: the list comes from the resolver."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

HUGE = "99999999999999999999"
BAD_PAGES = [HUGE, "-1", "0", "abc", "1e9", "%00", "9" * 400]
# Values by converter; every one must give 4xx or a normal page, whatever the view does with it.
BAD_VALUES = {
    "id": [HUGE, "0", "000000000000000001", "9" * 18],
    "int": [HUGE, "0", "-1", "9" * 400],
    "slug": ["a" * 400, "-", "__proto__"],
    "str": ["%00", "a%00b", "x" * 2000, "%E2%80%AE", "..", "%F0%9F%98%80", "%ED%A0%80", "%C0%AF"],
    "path": ["%00", "a/b/../c", "x" * 2000, "%E2%80%AE", "%ED%A0%80"],
}
# Server statuses a URL answers on purpose: the health check says 503 while a dependency (here the
# search index, which these tests do not build) is down.
BY_DESIGN = {"/healthz": {503}}
_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>[^>]+)>[^)]*\)")


def _walk(patterns, prefix=()):
    for p in patterns:
        parts = (*prefix, p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, parts)
        elif isinstance(p, URLPattern):
            yield parts


def _template(parts) -> tuple[str, tuple[str, ...]]:
    """("questions/{}/", ["id"]): the path with a slot per parameter, and each slot's converter."""
    text, kinds = "", []
    for part in parts:
        if isinstance(part, RoutePattern):
            route = str(part._route)
            kinds += [m["conv"] or "str" for m in _ROUTE_PARAM.finditer(route)]
            text += _ROUTE_PARAM.sub("{}", route.replace("{", "{{").replace("}", "}}"))
        elif isinstance(part, RegexPattern):
            regex = part._regex.lstrip("^").rstrip("$").replace("\\Z", "")
            kinds += ["path" for _ in _REGEX_GROUP.finditer(regex)]
            text += _REGEX_GROUP.sub("{}", regex.replace("{", "{{").replace("}", "}}"))
    return "/" + text, tuple(kinds)


TEMPLATES = sorted({_template(parts) for parts in _walk(get_resolver().url_patterns)}, key=str)
TEMPLATE_IDS = [t for t, _ in TEMPLATES]


def test_url_templates_cover_the_resolver():
    """The walk above understands every pattern (no regex left unfilled)."""
    assert len(TEMPLATES) > 50
    assert [t for t, _ in TEMPLATES if "(?" in t or "<" in t] == []


@pytest.fixture
def clients(db, admin_user, question, answer):
    anonymous = Client(raise_request_exception=False)
    admin = Client(raise_request_exception=False)
    ids = [str(question.pk), str(answer.pk), str(answer.lawyer_id)]

    def requests(method: str, url: str, **kwargs):
        admin.force_login(admin_user)  # a POST to logout must not end the admin's part of the run
        return [getattr(c, method)(url, **kwargs) for c in (anonymous, admin)]

    return requests, ids


def _values(kinds: list[str], ids: list[str]):
    per_slot = [st.sampled_from(BAD_VALUES[k] + (ids if k in ("id", "int") else [])) for k in kinds]
    return st.tuples(*per_slot)


def _url(template: str, values) -> str:
    return template.format(*values)


OVERSIZED = b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


@pytest.mark.parametrize(("template", "kinds"), TEMPLATES, ids=TEMPLATE_IDS)
def test_url_pattern_bad_input_is_never_a_server_error(clients, template, kinds):
    requests, ids = clients
    seen: list[tuple[str, int]] = []

    @hypothesis_settings(
        max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(values=_values(kinds, ids), page=st.sampled_from(BAD_PAGES))
    @example(values=tuple(BAD_VALUES[k][0] for k in kinds), page=HUGE)
    def get(values, page):
        url = _url(template, values)
        for response in requests("get", f"{url}?page={page}"):
            seen.append((url, response.status_code))
            assert response.status_code < 500 or response.status_code in BY_DESIGN.get(template, ()), (
                url,
                response.status_code,
            )

    get()
    url = _url(template, [BAD_VALUES[k][0] for k in kinds])
    for response in requests("post", url, data=OVERSIZED, content_type="application/json"):
        assert response.status_code < 500, (url, "oversized POST", response.status_code)
    assert seen  # the property ran
