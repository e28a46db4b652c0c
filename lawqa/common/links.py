"""Links that leave the request: where to send the browser after a form (`safe_next_url`) and
absolute links for e-mails (`site_url`)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str, *, param: str = "next") -> str:
    """The `next` URL of the request (query string, then form) when it stays on this site, else
    `default` (a URL or a URL name). Refuses other hosts, scheme-relative `//host` URLs, other
    schemes (javascript:, data:) and, on HTTPS, a downgrade to http."""
    target = request.POST.get(param) or request.GET.get(param) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def site_url(path: str = "") -> str:
    """`path` as an absolute link on the configured site address (LAWQA_SITE_URL); never built
    from the request's Host header, which the sender of the request chooses."""
    return f"{settings.LAWQA_SITE_URL}{path}"
