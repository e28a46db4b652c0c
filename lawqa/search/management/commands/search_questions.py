"""Batch search per EVAL.md: JSON Lines {"id","query"} in, {"id","results":[…]} out, in order."""

import json
import sys

from django.core.management.base import BaseCommand

from lawqa.questions.models import Question
from lawqa.search import queries


class Command(BaseCommand):
    help = "批量检索：从标准输入读 JSON Lines（id, query），按站内搜索排序输出结果。"

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)

    def handle(self, *args, k: int, **options):
        out = self.stdout
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                out.write(json.dumps({"line": n, "error": f"invalid JSON: {exc}"}, ensure_ascii=False))
                continue
            if not isinstance(row, dict) or "id" not in row:
                out.write(json.dumps({"line": n, "error": "missing id"}, ensure_ascii=False))
                continue
            query = row.get("query")
            if not isinstance(query, str):
                out.write(
                    json.dumps({"id": row["id"], "error": "query must be a string"}, ensure_ascii=False)
                )
                continue
            ids = queries.ranked_question_ids(query, limit=max(1, min(k, 100)))
            found = Question.objects.visible().in_bulk(ids)
            results = [
                {"question_id": i, "source_id": found[i].source_id, "title": found[i].title}
                for i in ids
                if i in found
            ]
            out.write(json.dumps({"id": row["id"], "results": results}, ensure_ascii=False))
