"""A throwaway site for fault tests: its own database (a SQLite file, or a PostgreSQL database on
the server of DATABASE_URL), migrated, and its own var/ directory; Django processes started
against it with the production settings module, so they can be killed for real."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[3]


@dataclass
class FaultSite:
    """Where the throwaway site lives and how to run Django processes on it."""

    var_dir: Path
    database_url: str

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="lawqa.settings",
            DATABASE_URL=self.database_url,
            LAWQA_VAR_DIR=str(self.var_dir),
            LAWQA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            LAWQA_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def manage(self, *args: str) -> list[str]:
        return [sys.executable, str(BASE_DIR / "manage.py"), *args]

    def popen(self, *args: str, log: Path, **env: str) -> subprocess.Popen:
        """Start `manage.py args…` in the background, output to `log`."""
        with log.open("ab") as out:
            return subprocess.Popen(
                self.manage(*args), cwd=BASE_DIR, env=self.env(**env), stdout=out, stderr=subprocess.STDOUT
            )

    def python(
        self, code: str, *, check: bool = True, timeout: float = 120, **env: str
    ) -> subprocess.CompletedProcess:
        """Run `code` in a fresh process after django.setup(); its stdout is returned."""
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    """Poll `condition` until it returns something true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


@contextmanager
def fault_site(tmp_dir: Path, *, migrate: bool = True) -> Iterator[FaultSite]:
    """A throwaway site, migrated unless `migrate` is false (an empty database, e.g. to restore a
    backup into); its PostgreSQL database is dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    var_dir = tmp_dir / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    dropper = None
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"lawqa_fault_{uuid.uuid4().hex[:12]}"
        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        site = FaultSite(var_dir=var_dir, database_url=urlunsplit(parts._replace(path=f"/{name}")))

        def dropper() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        site = FaultSite(var_dir=var_dir, database_url=f"sqlite:///{var_dir / 'fault.sqlite3'}")
    try:
        if migrate:
            subprocess.run(
                site.manage("migrate", "--no-input", "-v0"), cwd=BASE_DIR, env=site.env(), check=True
            )
        yield site
    finally:
        if dropper is not None:
            dropper()
