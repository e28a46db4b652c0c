"""Real-browser tests: Playwright's sync API driving Debian's /usr/bin/chromium, headless, against
pytest-django's live_server. Skipped (with the reason) where that browser is not installed;
.ci/run installs it (apt-get install chromium fonts-wqy-microhei)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# `laws` (a small statute library) and `site` (questions in every state), shared with the SEO tests.
from lawqa.seo.tests.conftest import laws, site  # noqa: F401 — fixtures, found by pytest by name

CHROMIUM = Path(os.environ.get("LAWQA_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django would then refuse the ORM calls
# that the live server and fixtures make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is not installed (apt-get install -y chromium fonts-wqy-microhei)"
    else:
        try:
            import playwright.sync_api  # noqa: F401 — only checking it is installed
        except ImportError:
            missing = "the playwright package is not installed (pip install -e '.[dev]')"
    if missing:
        skip = pytest.mark.skip(reason=missing)
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no option for the executable: point it at Debian's chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": ["--disable-gpu", "--disable-quic"],
    }


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True, scope="session")
def _import_urlconf():
    """Import the URLconf (and every view module) before the live server's first request, so a
    cold import of every app on a loaded CI machine does not eat the first page load's timeout."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — evaluated for its import side effect
