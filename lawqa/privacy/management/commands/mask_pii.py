"""Batch masking per EVAL.md: JSON Lines {"id","text"} in, {"id","text","findings"} out, in order."""

import json
import sys

from django.core.management.base import BaseCommand

from lawqa.privacy.services import mask_public_text


def _dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False)


class Command(BaseCommand):
    help = "批量脱敏：从标准输入读 JSON Lines（id, text），输出脱敏后的文本和发现的个人信息位置。"

    def handle(self, *args, **options):
        out = self.stdout
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                out.write(_dumps({"line": n, "error": f"invalid JSON: {exc}"}))
                continue
            if not isinstance(row, dict) or "id" not in row:
                out.write(_dumps({"line": n, "error": "missing id"}))
                continue
            text = row.get("text")
            if not isinstance(text, str):
                out.write(_dumps({"id": row["id"], "error": "text must be a string"}))
                continue
            result = mask_public_text(text)
            findings = [{"kind": f.kind, "span": list(f.span)} for f in result.findings]
            out.write(_dumps({"id": row["id"], "text": result.text, "findings": findings}))
