"""axe-core in Chromium on every page type, on a desktop screen and on a 390 px phone: no serious or
critical violation. Full-page screenshots of each go to test-artifacts/a11y-<viewport>-<page>.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .pages import DESKTOP, PHONE_CONTEXT, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"viewport": DESKTOP}, "phone": PHONE_CONTEXT}


def _pages(site, laws) -> tuple[dict[str, str], dict[str, str]]:
    """(public pages, pages of a signed-in asker) by name."""
    from lawqa.search import index

    index.apply_outbox()
    index.reset_reader()
    question = site["answered"]
    article = laws["civil"].articles.order_by("position").first()
    public = {
        "home": reverse("home"),
        "area": question.category.get_absolute_url(),
        "question": question.get_absolute_url(),
        "search": f"{reverse('search:search')}?q=工资",
        "laws": reverse("statutes:index"),
        "law": laws["civil"].get_absolute_url(),
        "article": article.get_absolute_url(),
        "lawyers": reverse("lawyers:directory"),
        "lawyer": reverse("lawyers:profile", args=[site["lawyer"].pk]),
        "privacy": reverse("privacy:policy"),
    }
    signed_in = {
        "ask": reverse("questions:ask"),
        "account": reverse("accounts:account"),
        "notifications": reverse("notifications:inbox"),
    }
    return public, signed_in


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_type_has_no_serious_accessibility_violation(
    live_server, browser, site, laws, asker, artifacts_dir, viewport
):
    public, signed_in = _pages(site, laws)
    django_client = Client()
    django_client.force_login(asker)
    session = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    anonymous_ctx = browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
    asker_ctx = browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
    asker_ctx.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    found: dict[str, list[str]] = {}
    for ctx, pages in ((anonymous_ctx, public), (asker_ctx, signed_in)):
        ctx.set_default_timeout(10_000)
        page = ctx.new_page()
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, response.status)
            page.screenshot(path=artifacts_dir / f"a11y-{viewport}-{name}.png", full_page=True)
            if viewport == "phone":  # nothing wider than the phone: no sideways scrolling
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            if problems := serious_violations(page):
                found[name] = problems
    for ctx in (anonymous_ctx, asker_ctx):
        ctx.close()

    assert found == {}, "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems
    )
