"""What the browser journeys share: viewports, a desktop context, a phone screenshot of the same
session, the axe-core check and logging in through the form."""

from __future__ import annotations

USER_PASSWORD = "pw-Secret-123"  # the root conftest's make_user
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: new_context() arguments of a 390 px phone.
PHONE_CONTEXT = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def desktop_context(browser, **extra):
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", **extra)
    ctx.set_default_timeout(8000)
    return ctx


def phone_screenshot(browser, ctx, url: str, path) -> None:
    """The same page on a 390 px phone with the same session; nothing wider than the screen."""
    phone_ctx = browser.new_context(storage_state=ctx.storage_state(), locale="zh-CN", **PHONE_CONTEXT)
    phone = phone_ctx.new_page()
    phone.goto(url)
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=path, full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_ctx.close()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page, base: str, username: str, next_url: str = "/") -> None:
    page.goto(f"{base}/account/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", USER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}{next_url}")
