"""Serve the site for development: the web server, the background task worker and the search
indexer, as three child processes. Ctrl-C (or SIGTERM) stops all three; if one of them dies, the
others are stopped too, so a half-running site is never left behind."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "启动网站、后台任务进程和搜索索引进程；Ctrl-C 同时停止三者。"

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="地址和端口（默认 127.0.0.1:8000）"
        )

    def handle(self, *args, addrport: str, **options):
        manage = [sys.executable, "manage.py"]
        commands = {
            "web": [*manage, "runserver", "--noreload", addrport],
            "worker": [*manage, "db_worker", "--interval", "1", "--no-reload"],
            "indexer": [*manage, "run_indexer"],
        }
        children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        signal.signal(signal.SIGTERM, _stop)
        try:
            while all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            dead = [name for name, child in children.items() if child.poll() is not None]
            self.stderr.write(f"{', '.join(dead)} 进程已退出，正在停止其余进程")
        except KeyboardInterrupt:
            self.stdout.write("正在停止……")
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
