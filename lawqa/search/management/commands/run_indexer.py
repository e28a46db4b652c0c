"""This node's search indexer: applies the change log to the node's tantivy and vector indexes.

One per node (index directory), in every deployment; runs forever unless --once. Builds the
indexes from the database when they are missing or unreadable (see lawqa/search/indexer.py)."""

from django.core.management.base import BaseCommand

from lawqa.search import indexer


class Command(BaseCommand):
    help = "把搜索变更日志应用到本节点的全文索引和向量索引；默认持续运行，--once 处理完当前变更后退出。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前变更后退出")
        parser.add_argument("--interval", type=float, default=indexer.INTERVAL, help="轮询间隔（秒）")

    def handle(self, *args, once: bool, interval: float, **options):
        indexer.run_forever(interval=interval, once=once, write=self.stdout.write)
