"""Load the bundled statute library (data/laws.jsonl.gz) into the database. Idempotent."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lawqa.statutes import services
from lawqa.statutes.library import read_bundle


class Command(BaseCommand):
    help = "导入法律法规库（data/laws.jsonl.gz）；重复执行只更新有变化的文件。"

    def add_arguments(self, parser):
        parser.add_argument("bundle", nargs="?", default="laws.jsonl.gz", help="data/ 下的文件名或路径")
        parser.add_argument("--quiet-problems", action="store_true", help="不逐条列出无法解析的内容")

    def handle(self, *args, bundle: str, quiet_problems: bool = False, **options):
        path = Path(bundle)
        if not path.exists():
            path = settings.DATA_DIR / bundle
        if not path.exists():
            raise CommandError(f"找不到法规包 {bundle}（先运行 scripts/bundle_laws.py）")
        started = time.perf_counter()
        records = read_bundle(path)
        show = options.get("verbosity", 1) > 0 and sys.stderr.isatty()
        report = services.import_library(
            records=records,
            progress=(lambda it: tqdm(it, total=len(records), desc="导入法规", unit="件")) if show else None,
        )
        if options.get("verbosity", 1) > 0 and not quiet_problems:
            for doc, problems in sorted(report.problems.items()):
                for p in problems:
                    self.stdout.write(f"  {doc}: {p}")
        self.stdout.write(
            self.style.SUCCESS(
                f"法规库：{len(records)} 件（新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
                f"删除 {report.deleted}），写入条文 {report.articles} 条，"
                f"{len(report.problems)} 件有解析提示，用时 {time.perf_counter() - started:.1f} 秒"
            )
        )
