"""Bring a fresh database up to a working demo: statutes, demo Q&A, models, search index.

Each step is idempotent; a stamp under var/ remembers which bundle versions were loaded, so a
second `make run` starts at once.
"""

import hashlib
import json
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# (command, bundle files it reads, dotted path of a format version or ""): the step re-runs when
# one of those files or the version changes.
STEPS = (
    ("import_laws", ("laws.jsonl.gz",), ""),
    # Trained before the Q&A import so that imported questions get their area from the classifier.
    (
        "train_legalai",
        (
            "legalai",
            "demo_qa.jsonl.gz",
            "laws.jsonl.gz",
            "vectors/articles.npz",
            "vectors/questions.npz",
            "vectors/legalai_queries.npz",
        ),
        "lawqa.legalai.suggester.FORMAT_VERSION",
    ),
    ("import_qa", ("demo_qa.jsonl.gz", "demo_accounts.json"), ""),
    # Vectors come from the bundle where text and model match (embedding only the rest).
    ("rebuild_index", ("vectors/questions.npz",), "lawqa.search.engine.SCHEMA_VERSION"),
    # 类似问题的律师解答 of the imported questions still waiting (new ones get theirs when routed).
    ("refresh_similar_answers", ("demo_qa.jsonl.gz", "vectors/questions.npz"), "lawqa.search.hybrid.RELATED"),
    # Lawyers' records and 推荐分 for a database imported before a statistic was added (last, so
    # that it never forces an index rebuild).
    ("refresh_lawyer_stats", (), "lawqa.lawyers.services.STATS_VERSION"),
)


def _fingerprint(names: tuple[str, ...], version: str) -> str:
    digest = hashlib.sha256(str(import_string(version)).encode() if version else b"")
    for name in names:
        path = settings.DATA_DIR / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                digest.update(f.name.encode())
                digest.update(str(f.stat().st_size).encode())
                digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "导入法律法规、演示问答，训练模型并建立搜索索引（已完成的步骤会跳过）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="忽略记录，全部重新执行")

    def handle(self, *args, force: bool = False, **options):
        stamp_path = settings.VAR_DIR / "setup-stamp.json"
        stamp = {} if force or not stamp_path.exists() else json.loads(stamp_path.read_text())
        available = get_commands()
        changed = False
        for name, inputs, version in STEPS:
            if name not in available:
                self.stdout.write(f"跳过 {name}（本版本未提供）")
                continue
            fingerprint = _fingerprint(inputs, version)
            # The index is built from everything loaded before it: rebuild it when anything changed.
            if stamp.get(name) == fingerprint and not (name == "rebuild_index" and changed):
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"==> {name}"))
            started = time.perf_counter()
            call_command(name)
            self.stdout.write(f"    {name} 用时 {time.perf_counter() - started:.1f} 秒")
            stamp[name] = fingerprint
            changed = True
            stamp_path.write_text(json.dumps(stamp, indent=2))
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
