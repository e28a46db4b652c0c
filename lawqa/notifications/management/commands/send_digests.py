"""Send the daily notification digests: plan one background task per batch of users waiting for
theirs. Run it once a day (cron), or keep `--loop` running: it sends at LAWQA_DIGEST_HOUR local
time every day. `make run` starts it with --loop."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lawqa.common import taskqueue
from lawqa.notifications.tasks import task_send_digests


def next_run(now: dt.datetime, hour: int) -> dt.datetime:
    """The next LAWQA_DIGEST_HOUR o'clock (local time) strictly after `now`.

    >>> tz = dt.timezone(dt.timedelta(hours=8))
    >>> next_run(dt.datetime(2026, 1, 1, 7, 30, tzinfo=tz), 8).isoformat()
    '2026-01-01T08:00:00+08:00'
    >>> next_run(dt.datetime(2026, 1, 1, 8, 0, tzinfo=tz), 8).isoformat()
    '2026-01-02T08:00:00+08:00'
    """
    candidate = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return candidate if candidate > now else candidate + dt.timedelta(days=1)


class Command(BaseCommand):
    help = "发送每日通知摘要邮件（按批次交给后台任务）；--loop 每天 LAWQA_DIGEST_HOUR 点发送一次。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="常驻运行，每天定时发送")

    def handle(self, *args, loop: bool, **options):
        if not loop:
            self._enqueue()
            return
        while True:
            now = timezone.localtime()
            wake = next_run(now, settings.LAWQA_DIGEST_HOUR)
            self.stdout.write(f"下一次发送每日摘要：{wake:%Y-%m-%d %H:%M}")
            time.sleep(max(1.0, (wake - now).total_seconds()))
            self._enqueue()

    def _enqueue(self) -> None:
        with transaction.atomic():
            taskqueue.enqueue(task_send_digests)
        self.stdout.write("已安排发送每日摘要")
