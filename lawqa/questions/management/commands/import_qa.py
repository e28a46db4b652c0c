"""Import questions (and lawyers' answers) from JSON Lines in the shape of shared/data/qa.

    manage.py import_qa [PATH] [--accounts data/demo_accounts.json] [--batch-size 500] [--no-progress]

PATH defaults to the bundled demo set (data/demo_qa.jsonl.gz); `.gz`, `.xz` and plain files are read.

- Idempotent by source id: a record whose id is already in the database is skipped. Each batch
  commits on its own, so an import killed half-way (a crash, Ctrl-C) is resumed by running the
  same command again: the batches already written are skipped, the rest is added. The file is
  read line by line and the database asked batch by batch, so a file of a million records
  needs no more memory than one batch (and the set of its source ids); the progress bar counts
  the lines first.
- A bad line (not JSON, no id or body, title over 50 characters, …) is reported with its line
  number and nothing of it is written: records are checked before any write, and each batch is
  written in one transaction that, if the database refuses it, is retried record by record, each in
  its own savepoint, so only the offending records are left out.
- Text goes through the same path as the site's services: masking of personal data
  (privacy.services.mask_public_text), answer rendering (statutes.services.render_answer_html),
  citation rows (statutes.services.record_citations), the search outbox
  (search.services.mark_question_changed) and the per-area counts
  (questions.services.count_new_questions), each batch in its transaction. Rows are inserted with
  bulk_create and the counters of every demo lawyer are refreshed once at the end (all of them,
  so a run resumed after a crash also refreshes those the crashed run touched), so the 9,054
  demo records load in seconds.
- The practice area comes from legalai's classifier when its model is available, else from the
  hand-written keyword rules in questions.importing.
- Answers are attributed to the verified demo lawyers of data/demo_accounts.json (marked 演示数据
  on the site) whose areas include the question's; askers are demo accounts; times, anonymity and
  acceptance are derived from the source id, so every machine gets the same demo.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import lzma
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone
from tqdm import tqdm

from lawqa.accounts.models import User
from lawqa.common.areas import AREA_BY_NAME, AREA_BY_SLUG
from lawqa.lawyers import services as lawyer_services
from lawqa.lawyers.models import LawyerProfile
from lawqa.privacy import services as privacy_services
from lawqa.questions import importing
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer, Category, Question
from lawqa.search import services as search_services
from lawqa.statutes import services as statute_services

ANONYMOUS_PERCENT = 25  # share of demo questions shown as 匿名用户
ACCEPTED_PERCENT = 40  # share of answered demo questions whose answer the asker accepted


def open_lines(path: Path) -> Iterator[str]:
    """The file's lines, one at a time (a million-record file is never held whole)."""
    opener = {".gz": gzip.open, ".xz": lzma.open}.get(path.suffix, open)
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\r\n")


def count_lines(path: Path) -> int:
    return sum(1 for _ in open_lines(path))


@dataclass
class Prepared:
    """A checked record turned into unsaved rows (the answer is None for an open question)."""

    line_no: int
    source_id: str
    question: Question
    answer: Answer | None


def area_predictor() -> tuple[str, Callable[[str], str]]:
    """legalai's classifier when it is installed and trained, else the keyword rules."""
    try:
        from lawqa.legalai.services import predict_area
    except ImportError:
        return "关键词规则", importing.keyword_area

    def predict(text: str) -> str:
        label, _confidence = predict_area(text, embed=False)
        if label in AREA_BY_NAME:
            return label
        if label in AREA_BY_SLUG:
            return AREA_BY_SLUG[label].name
        return importing.keyword_area(text)

    try:
        predict("公司拖欠工资三个月怎么办")
    except Exception:  # noqa: BLE001 — any failure (model not trained yet, missing file) means: use the rules
        return "关键词规则", importing.keyword_area
    return "legalai 分类模型", predict


@transaction.atomic
def ensure_demo_accounts(accounts: dict) -> tuple[dict[str, list[int]], list[User]]:
    """Create the demo lawyers (verified, is_demo) and askers that do not exist yet.

    Returns the lawyer user ids per area name and the asker users. Demo accounts cannot log in
    (unusable passwords)."""
    categories = {c.name: c for c in Category.objects.all()}
    existing = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    now = timezone.now()
    by_area: dict[str, list[int]] = defaultdict(list)
    for spec in accounts["lawyers"]:
        user = existing.get(spec["username"])
        if user is None:
            user = User(username=spec["username"], role=User.Role.LAWYER, nickname=spec["real_name"])
            user.set_unusable_password()
            user.save()
        profile, created = LawyerProfile.objects.get_or_create(
            user=user,
            defaults={
                "real_name": spec["real_name"],
                "license_no": spec["license_no"],
                "firm": spec["firm"],
                "province": spec["province"],
                "city": spec["city"],
                "bio": spec.get("bio", ""),
                "status": LawyerProfile.Status.VERIFIED,
                "verified_at": now,
                "is_demo": True,
            },
        )
        if created:
            profile.areas.set([categories[name] for name in spec["areas"]])
        if profile.status == LawyerProfile.Status.VERIFIED:
            for name in spec["areas"]:
                by_area[name].append(user.pk)
    askers = []
    for spec in accounts["askers"]:
        user = existing.get(spec["username"])
        if user is None:
            user = User(
                username=spec["username"],
                role=User.Role.ASKER,
                nickname=spec["nickname"],
                province=spec.get("province", ""),
            )
            user.set_unusable_password()
            user.save()
        askers.append(user)
    return dict(by_area), askers


class Command(BaseCommand):
    help = (
        "导入问答数据（JSON Lines，默认为内置演示数据 data/demo_qa.jsonl.gz）；按来源编号去重，可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="JSONL 文件（.jsonl / .jsonl.gz / .jsonl.xz）")
        parser.add_argument(
            "--accounts",
            default=None,
            help="演示账户定义（默认 data/demo_accounts.json）：回答归属的演示律师与提问用户",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, path=None, accounts=None, batch_size=500, no_progress=False, **options):
        started = time.perf_counter()
        path = Path(path) if path else settings.DATA_DIR / "demo_qa.jsonl.gz"
        accounts_path = Path(accounts) if accounts else settings.DATA_DIR / "demo_accounts.json"
        for p in (path, accounts_path):
            if not p.exists():
                raise CommandError(f"找不到文件：{p}")
        self.lawyers_by_area, self.askers = ensure_demo_accounts(
            json.loads(accounts_path.read_text(encoding="utf-8"))
        )
        if not self.askers or not self.lawyers_by_area:
            raise CommandError("演示账户定义里至少需要一名提问用户和一名律师")
        self.categories = {c.name: c for c in Category.objects.all()}
        self.classifier_name, self.predict_area = area_predictor()
        self.now = timezone.now()
        self.added = self.answers_added = self.skipped = self.bad = 0
        self.touched_lawyers: set[int] = set()

        seen: set[str] = set()  # source ids met in this file (the database is asked per batch)
        batch: list[tuple[int, importing.QARecord]] = []
        with tqdm(
            total=None if no_progress else count_lines(path),
            unit="行",
            desc="导入问答",
            disable=no_progress or None,
            file=sys.stderr,
        ) as bar:
            for line_no, line in enumerate(open_lines(path), start=1):
                bar.update()
                if not line.strip():
                    continue
                try:
                    record = importing.parse_record(line)
                except importing.RecordError as exc:
                    self.report_bad(line_no, str(exc), bar)
                    continue
                if record.source_id in seen:
                    self.skipped += 1
                    continue
                seen.add(record.source_id)
                batch.append((line_no, record))
                if len(batch) >= batch_size:
                    self.write_batch(batch, bar)
                    batch = []
            if batch:
                self.write_batch(batch, bar)

        every_demo_lawyer = {pk for ids in self.lawyers_by_area.values() for pk in ids}
        for lawyer_id in sorted(self.touched_lawyers | every_demo_lawyer):
            lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
        self.stdout.write(
            f"导入完成：新增 {self.added} 个问题（其中 {self.answers_added} 个附律师回答），"
            f"已存在跳过 {self.skipped} 个，错误 {self.bad} 行。"
            f"分类：{self.classifier_name}；用时 {time.perf_counter() - started:.1f} 秒。"
        )

    def report_bad(self, line_no: int, reason: str, bar: tqdm | None = None) -> None:
        self.bad += 1
        if bar is not None:
            bar.clear()
        self.stderr.write(f"第 {line_no} 行：{reason}，已跳过")
        if bar is not None:
            bar.refresh()

    # ------------------------------------------------------------------ building rows

    def prepare(self, line_no: int, record: importing.QARecord) -> Prepared:
        sid = record.source_id
        title = privacy_services.mask_public_text(record.title).text[: importing.TITLE_MAX]
        detail = privacy_services.mask_public_text(record.detail).text[: importing.DETAIL_MAX]
        area_name = self.predict_area(f"{record.title}\n{record.detail}")
        asker = importing.pick(self.askers, "asker", sid)
        asked_at = importing.created_at_for(sid, self.now)
        question = Question(
            title=title,
            detail=detail,
            category=self.categories[area_name],
            asker=asker,
            is_anonymous=importing.chance(ANONYMOUS_PERCENT, "anonymous", sid),
            province=asker.province,
            source_id=sid,
            created_at=asked_at,
            view_count=importing.view_count_for(
                sid, answered=bool(record.answer), age_days=(self.now - asked_at) / dt.timedelta(days=1)
            ),
        )
        answer = None
        if record.answer:
            lawyers = self.lawyers_by_area.get(area_name) or sorted(
                {pk for ids in self.lawyers_by_area.values() for pk in ids}
            )
            body = privacy_services.mask_public_text(record.answer).text
            accepted = importing.chance(ACCEPTED_PERCENT, "accepted", sid)
            answer = Answer(
                lawyer_id=importing.pick(lawyers, "lawyer", sid),
                body=body,
                body_html=statute_services.render_answer_html(body),
                is_accepted=accepted,
                created_at=importing.answered_at_for(sid, asked_at, self.now),
            )
            question.status = Question.Status.ACCEPTED if accepted else Question.Status.ANSWERED
            question.answer_count = 1
        return Prepared(line_no=line_no, source_id=sid, question=question, answer=answer)

    # ------------------------------------------------------------------ writing

    def write_batch(self, batch: list[tuple[int, importing.QARecord]], bar: tqdm) -> None:
        stored = set(
            Question.objects.filter(source_id__in=[record.source_id for _, record in batch]).values_list(
                "source_id", flat=True
            )
        )
        self.skipped += len(stored)
        prepared = []
        for line_no, record in batch:
            if record.source_id in stored:  # written by an earlier run
                continue
            try:
                prepared.append(self.prepare(line_no, record))
            except (ValueError, KeyError) as exc:
                self.report_bad(line_no, f"无法处理（{exc}）", bar)
        try:
            with transaction.atomic():
                self.insert(prepared)
        except DatabaseError:
            # Something in the batch was refused: write record by record so only it is left out.
            for item in prepared:
                item.question.pk = None
                if item.answer is not None:
                    item.answer.pk = None
                try:
                    with transaction.atomic():
                        self.insert([item])
                except DatabaseError as exc:
                    self.report_bad(item.line_no, f"数据库拒绝写入（{exc}）", bar)
                else:
                    self.count([item])
            return
        self.count(prepared)

    @staticmethod
    def insert(items: list[Prepared]) -> None:
        Question.objects.bulk_create([item.question for item in items])
        question_services.count_new_questions(questions=[item.question for item in items])
        answers = []
        for item in items:
            if item.answer is not None:
                item.answer.question = item.question
                answers.append(item.answer)
        Answer.objects.bulk_create(answers)
        # Batch form when statutes offers it (a few queries per batch instead of ~5 per answer).
        record_many = getattr(statute_services, "record_citations_many", None)
        if record_many is not None:
            record_many(answers=answers)
        else:
            for answer in answers:
                statute_services.record_citations(answer=answer)
        question_ids = [item.question.pk for item in items]
        # One outbox row per question either way; the batch form (when search offers it) saves
        # a savepoint and an INSERT per question.
        mark_many = getattr(search_services, "mark_questions_changed", None)
        if mark_many is not None:
            mark_many(question_ids=question_ids)
        else:
            for question_id in question_ids:
                search_services.mark_question_changed(question_id=question_id)

    def count(self, items: list[Prepared]) -> None:
        self.added += len(items)
        for item in items:
            if item.answer is not None:
                self.answers_added += 1
                self.touched_lawyers.add(item.answer.lawyer_id)
