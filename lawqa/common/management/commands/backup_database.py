"""Back up the database to one file: `pg_dump --format=custom` on PostgreSQL, SQLite's online
backup on SQLite. The site keeps running; the file is a consistent snapshot. Restore it with
`manage.py restore_database FILE`, then rebuild each node's search index (docs/operations.md).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

PATTERN = "lawqa-*.{ext}"


def pg_env(settings_dict: dict) -> dict[str, str]:
    """libpq's environment for the database: no password on a command line (`ps` shows those)."""
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


def extension(vendor: str) -> str:
    if vendor == "postgresql":
        return "dump"
    if vendor == "sqlite":
        return "sqlite3"
    raise CommandError(f"不支持备份 {vendor} 数据库（支持 PostgreSQL 和 SQLite）")


class Command(BaseCommand):
    help = "把数据库备份成一个文件（PostgreSQL 用 pg_dump，SQLite 用在线备份）；网站无需停止。"

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            help="备份文件（PostgreSQL：.dump；SQLite：.sqlite3），或一个目录（在其中生成 lawqa-日期-时间 命名的文件）",
        )
        parser.add_argument("--keep", type=int, default=0, help="目录中只保留最新的 N 份备份（默认全部保留）")

    def handle(self, *args, target: str, keep: int, **options):
        ext = extension(connection.vendor)
        path = Path(target)
        if path.suffix != f".{ext}":  # a directory: a new dated file in it
            path.mkdir(parents=True, exist_ok=True)
            path = path / f"lawqa-{timezone.localtime():%Y%m%d-%H%M%S}.{ext}"
        partial = path.with_name(path.name + ".partial")
        if connection.vendor == "postgresql":
            run = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
                env=pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                partial.unlink(missing_ok=True)
                raise CommandError(f"pg_dump 失败：{run.stderr.strip()}")
        else:
            source = sqlite3.connect(connection.settings_dict["NAME"])
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        partial.replace(path)  # a backup file is either whole or absent
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size / 1e6:.1f} MB）")
        if keep > 0:
            backups = sorted(path.parent.glob(PATTERN.format(ext=ext)))
            for old in backups[:-keep]:
                old.unlink()
                self.stdout.write(f"已删除旧备份 {old}")
