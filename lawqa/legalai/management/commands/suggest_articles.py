"""JSON Lines in ({"id","question"}), suggested articles out ({"id","articles":[…]})."""

import sys

from django.core.management.base import BaseCommand

from lawqa.legalai import services
from lawqa.legalai.jsonl import run_jsonl


class Command(BaseCommand):
    help = "从标准输入读取 JSON Lines（id, question），输出最相关的法条（默认前100条）。"

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=100, help="每个问题输出的条文数")
        parser.add_argument(
            "--exclude-self",
            action="store_true",
            help="评测用：不使用与输入 id 相同的内置问题（及其答案、标注条文）作为知识，"
            "即留一交叉验证，保证问题不会帮助回答它自己",
        )

    def handle(self, *args, k: int = 100, exclude_self: bool = False, **options):
        model = services.suggester()

        def suggest(row: dict) -> dict:
            exclude = (str(row.get("id")),) if exclude_self else ()
            vector = services.query_vector(row["question"], model.vector_stamp)
            found = model.suggest(row["question"], k, exclude=exclude, vector=vector)
            return {
                "articles": [
                    {"law": s.law, "article": s.article, "sub": s.sub, "score": s.score} for s in found
                ]
            }

        run_jsonl(sys.stdin, self.stdout._out, "question", suggest)
