"""JSON Lines in ({"id","question"}), practice area out ({"id","category","confidence"})."""

import sys

from django.core.management.base import BaseCommand

from lawqa.legalai import services
from lawqa.legalai.jsonl import run_jsonl


class Command(BaseCommand):
    help = "从标准输入读取 JSON Lines（id, question），输出预测的专业领域及置信度。"

    def handle(self, *args, **options):
        model = services.classifier()

        def classify(row: dict) -> dict:
            p = model.predict(
                row["question"], vector=services.query_vector(row["question"], model.vector_stamp)
            )
            return {"category": p.area, "confidence": round(p.confidence, 4)}

        run_jsonl(sys.stdin, self.stdout._out, "question", classify)
