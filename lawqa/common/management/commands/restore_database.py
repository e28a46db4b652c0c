"""Restore the database from a file made by `manage.py backup_database`, replacing what is in
it. Stop the web nodes, the worker and the indexers first; afterwards rebuild every node's
search index (each node's index follows the old database's change log) — docs/operations.md.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_database import extension, pg_env


class Command(BaseCommand):
    help = "用 backup_database 生成的备份文件恢复数据库（会覆盖现有数据）；之后请重建每个节点的搜索索引。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="备份文件（PostgreSQL：.dump；SQLite：.sqlite3）")
        parser.add_argument("--no-input", action="store_true", help="不询问确认")

    def handle(self, *args, backup: str, no_input: bool, **options):
        path = Path(backup)
        ext = extension(connection.vendor)
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {path}")
        if path.suffix != f".{ext}":
            raise CommandError(f"{path.name} 不是 {connection.vendor} 的备份（应为 .{ext} 文件）")
        name = connection.settings_dict["NAME"]
        if not no_input:
            answer = input(f"数据库 {name} 中的现有数据将被备份 {path.name} 替换。确定吗？输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改动")
        connection.close()
        if connection.vendor == "postgresql":
            run = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={name}",
                    str(path),
                ],
                env=pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise CommandError(f"pg_restore 失败，数据库未改动：{run.stderr.strip()}")
        else:
            source = sqlite3.connect(path)
            target = sqlite3.connect(name)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        self.stdout.write(
            f"已从 {path.name} 恢复数据库 {name}。请重建每个节点的搜索索引："
            "在每个节点的环境下运行 manage.py rebuild_index（或停止该节点的索引进程、删除其索引目录后重启）。"
        )
