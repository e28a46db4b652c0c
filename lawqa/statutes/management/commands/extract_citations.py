"""JSON Lines in ({"id","text"}), citations out ({"id","citations":[…]}), per ../shared/EVAL.md."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from lawqa.statutes import citations as cit
from lawqa.statutes import services


class Command(BaseCommand):
    help = "从标准输入读取 JSON Lines（id, text），输出每段文字中的法条引用及检查结果。"

    def handle(self, *args, **options):
        table = services.library().table
        out = self.stdout
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            row = None
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                    raise ValueError("需要 JSON 对象，且 text 为字符串")
            except ValueError as exc:
                rid = row.get("id") if isinstance(row, dict) else None
                err = {"id": rid} if rid is not None else {"line": n}
                out.write(json.dumps(err | {"error": str(exc)}, ensure_ascii=False))
                continue
            results = cit.check_text(row["text"], table)
            cites = [
                {
                    "law": r.law.key if r.law else r.citation.law,
                    "article": r.citation.article,
                    "sub": r.citation.sub,
                    "status": r.status,
                    "span": list(r.citation.span),
                    "paragraph": r.citation.paragraph,
                    "item": r.citation.item,
                }
                for r in results
            ]
            out.write(json.dumps({"id": row.get("id"), "citations": cites}, ensure_ascii=False))
