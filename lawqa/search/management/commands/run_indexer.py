"""Apply search outbox rows to the index: the one writer. Runs forever unless --once."""

import time

from django.core.management.base import BaseCommand

from lawqa.search import index


class Command(BaseCommand):
    help = "把搜索待办（outbox）分批写入索引；默认持续运行，--once 处理完当前待办后退出。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前待办后退出")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--interval", type=float, default=1.0, help="轮询间隔（秒）")

    def handle(self, *args, once: bool, batch_size: int, interval: float, **options):
        while True:
            applied = index.apply_outbox(batch_size=batch_size)
            if applied:
                self.stdout.write(f"indexed {applied} change(s)")
            if once:
                return
            time.sleep(interval)
