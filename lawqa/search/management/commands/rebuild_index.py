"""Rebuild this node's search indexes (tantivy and vectors) from the database.

Each is written as a new generation while readers keep the old one, then switched in. Vectors
are reused from the current index and the bundle where text and model match; the rest are
embedded (slow: see docs/search.md)."""

import os
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from lawqa.search import index, indexer


class Command(BaseCommand):
    help = "从数据库重建本节点的搜索索引（全文和向量，带进度条）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="分词进程数")
        parser.add_argument("--no-vectors", action="store_true", help="只重建全文索引")

    def handle(self, *args, no_progress: bool, workers: int, no_vectors: bool, **options):
        started = time.monotonic()
        total = index.count_indexable() * (1 if no_vectors else 2)
        with tqdm(total=total, unit="问", disable=no_progress, file=self.stderr) as bar:
            n = indexer.rebuild_all(progress=bar.update, workers=workers, vectors=not no_vectors)
        self.stdout.write(
            f"indexed {n} questions in {time.monotonic() - started:.1f}s -> {index.index_dir()}"
        )
