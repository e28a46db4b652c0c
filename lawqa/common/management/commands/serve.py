"""Serve the site for development: the web server, the background task worker, the search
indexer and the daily-digest clock, as supervised child processes.

A child that exits is started again after a pause (1 s, doubling up to 60 s while it keeps
failing within a minute of its start), so one crash — the indexer on a corrupt index, a worker
killed for memory — never stops the site. Ctrl-C (or SIGTERM) stops them all. In production
systemd does the same job (deploy/systemd/).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand

# Restart pauses: first, cap, and how long a child must run for its pause to start over at FIRST.
BACKOFF_FIRST, BACKOFF_MAX, STABLE_AFTER = 1.0, 60.0, 60.0


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


@dataclass
class Child:
    """One supervised process: its command, the running process, when to start it again."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)
        self.started_at = time.monotonic()
        self.restart_at = None

    def exited(self) -> int | None:
        """The exit code once the process has ended (and was not yet noticed), else None."""
        if self.process is None or self.restart_at is not None:
            return None
        return self.process.poll()

    def schedule_restart(self, now: float) -> float:
        """Plan the next start; returns the pause."""
        if now - self.started_at >= STABLE_AFTER:
            self.backoff = BACKOFF_FIRST
        pause = self.backoff
        self.backoff = min(BACKOFF_MAX, self.backoff * 2)
        self.restart_at = now + pause
        return pause


def commands(addrport: str) -> dict[str, list[str]]:
    manage = [sys.executable, "manage.py"]
    return {
        "web": [*manage, "runserver", "--noreload", addrport],
        # A fixed id: restarted after a crash, the worker takes back at once the task it was running.
        "worker": [
            *manage,
            "run_worker",
            "--interval",
            "1",
            "--worker-id",
            f"{settings.LAWQA_NODE_NAME}-worker",
        ],
        "indexer": [*manage, "run_indexer"],
        # Plans the daily notification digests at LAWQA_DIGEST_HOUR; the worker sends them.
        "digests": [*manage, "send_digests", "--loop"],
    }


class Command(BaseCommand):
    help = "启动网站、后台任务、搜索索引和每日摘要进程；任一进程退出会自动重启；Ctrl-C 全部停止。"

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="地址和端口（默认 127.0.0.1:8000）"
        )

    def handle(self, *args, addrport: str, **options):
        children = [Child(name, cmd) for name, cmd in commands(addrport).items()]
        signal.signal(signal.SIGTERM, _stop)
        try:
            while True:
                now = time.monotonic()
                for child in children:
                    code = child.exited()
                    if code is not None:
                        pause = child.schedule_restart(now)
                        self.stderr.write(f"{child.name} 进程已退出（返回码 {code}），{pause:.0f} 秒后重启")
                    elif child.restart_at is not None and now >= child.restart_at:
                        if child.process is not None:
                            self.stderr.write(f"正在重启 {child.name} 进程")
                        child.start()
                time.sleep(0.2)
        except KeyboardInterrupt:
            self.stdout.write("正在停止……")
        finally:
            running = [c.process for c in children if c.process is not None and c.process.poll() is None]
            for process in running:
                process.terminate()
            deadline = time.monotonic() + 10
            for process in running:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
