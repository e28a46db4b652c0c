"""Rebuild the search index from the database (one commit; readers keep the old index until then)."""

import os
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from lawqa.search import index


class Command(BaseCommand):
    help = "从数据库重建搜索索引（带进度条）。"

    def add_arguments(self, parser):
        parser.add_argument("--recreate", action="store_true", help="先删除索引目录（结构变更后使用）")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="分词进程数")

    def handle(self, *args, recreate: bool, no_progress: bool, workers: int, **options):
        started = time.monotonic()
        with tqdm(total=index.count_indexable(), unit="问", disable=no_progress, file=self.stderr) as bar:
            n = index.rebuild(progress=bar.update, recreate=recreate, workers=workers)
        self.stdout.write(
            f"indexed {n} questions in {time.monotonic() - started:.1f}s -> {index.index_dir()}"
        )
