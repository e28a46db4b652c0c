"""Run the spam rules (moderation.spam) over stored questions and answers, or over a Q&A bundle,
and report how much they would hold — the false-positive check for a rule change.

    manage.py spam_report                                    # the database (stored, masked text)
    manage.py spam_report --bundle data/demo_qa.jsonl.gz     # the raw texts of a bundle
    manage.py spam_report --jsonl held.jsonl                 # also write every hit, one JSON line

Stored answers are checked with the repeated-answer rule as it applied when each was posted: the
same lawyer's earlier answers (up to moderation.screening.DUPLICATE_WINDOW) to other questions.
Read-only.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict, deque
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lawqa.moderation import spam
from lawqa.moderation.screening import DUPLICATE_WINDOW
from lawqa.questions.models import Answer, Question


class Command(BaseCommand):
    help = "统计垃圾信息规则会拦下多少问题和回答（误判检查，只读）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--bundle", type=Path, help="检查问答数据包（jsonl.gz）中的原始文本，而不是数据库"
        )
        parser.add_argument("--jsonl", type=Path, help="把每条命中写入此文件（每行一个 JSON）")

    def handle(self, *args, bundle: Path | None = None, jsonl: Path | None = None, **options):
        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and "*" not in h]
        hits: list[dict] = []
        totals = Counter()
        rules = Counter()

        def record(kind: str, key: str, text: str, verdict: spam.Verdict) -> None:
            totals[kind] += 1
            if verdict.held:
                totals[f"{kind}_held"] += 1
                rules.update(f"{kind}:{r}" for r in verdict.rules)
                hits.append(
                    {
                        "kind": kind,
                        "id": key,
                        "rules": list(verdict.rules),
                        "evidence": [h.evidence for h in verdict.hits],
                        "text": text[:300],
                    }
                )

        if bundle:
            opener = gzip.open if bundle.suffix == ".gz" else open
            with opener(bundle, "rt", encoding="utf-8") as f:
                for line in f:
                    rec = json.loads(line)
                    record(
                        "question",
                        rec["id"],
                        rec["body"],
                        spam.check_text(rec["body"], kind="question", allowed_hosts=hosts),
                    )
                    if rec.get("answer"):
                        record(
                            "answer",
                            rec["id"],
                            rec["answer"],
                            spam.check_text(
                                rec["answer"], kind="answer", allowed_hosts=hosts, context=rec["body"]
                            ),
                        )
        else:
            for pk, title, detail in (
                Question.objects.order_by("pk").values_list("pk", "title", "detail").iterator()
            ):
                text = f"{title}\n{detail}"
                record("question", str(pk), text, spam.check_text(text, kind="question", allowed_hosts=hosts))
            earlier: dict[int, deque[tuple[int, str]]] = defaultdict(lambda: deque(maxlen=DUPLICATE_WINDOW))
            rows = Answer.objects.order_by("created_at", "pk").values_list(
                "pk", "lawyer_id", "question_id", "body", "question__title", "question__detail"
            )
            for pk, lawyer_id, question_id, body, title, detail in rows.iterator():
                previous = [b for qid, b in earlier[lawyer_id] if qid != question_id]
                verdict = spam.check_answer(
                    body, earlier_answers=previous, allowed_hosts=hosts, question_text=f"{title}\n{detail}"
                )
                record("answer", str(pk), body, verdict)
                earlier[lawyer_id].append((question_id, body))

        for kind in ("question", "answer"):
            n, held = totals[kind], totals[f"{kind}_held"]
            share = f"{100 * held / n:.2f}%" if n else "—"
            self.stdout.write(f"{kind}: {held} / {n} held ({share})")
        for rule, count in sorted(rules.items()):
            self.stdout.write(f"  {rule}: {count}")
        if jsonl:
            with open(jsonl, "w", encoding="utf-8") as out:
                for hit in hits:
                    out.write(json.dumps(hit, ensure_ascii=False) + "\n")
            self.stdout.write(f"{len(hits)} hits written to {jsonl}")
