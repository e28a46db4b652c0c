"""Store 类似问题的律师解答 for questions waiting for an answer that never went through the routing
task (imported ones): `setup_demo` runs it after `rebuild_index` (and again when the bundles or
the ranking's weights change). Idempotent; `--missing` only fills questions that have none. The
same ranking as the routing task's, with the answered questions' vectors searched in memory once
instead of the whole vector index once per question."""

import time

import numpy as np
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from lawqa.questions.models import Question
from lawqa.search import hybrid, queries, services, vectors
from lawqa.search.models import SimilarAnswer

CHUNK = 500


def _precomputed(found: list[tuple[int, float]]):
    """A `semantic` callable for `hybrid.related_ranking` that returns neighbours found before."""

    def semantic(vector, *, k: int, exclude=()) -> list[tuple[int, float]]:
        return [(qid, cos) for qid, cos in found if qid not in exclude][:k]

    return semantic


class Command(BaseCommand):
    help = "为待解答的问题计算并保存“类似问题的律师解答”。"

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="只处理还没有保存结果的问题")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, missing: bool, no_progress: bool, **options):
        started = time.monotonic()
        waiting = Question.objects.visible().filter(status=Question.Status.OPEN)
        if missing:
            waiting = waiting.exclude(Exists(SimilarAnswer.objects.filter(question_id=OuterRef("pk"))))
        ids = list(waiting.order_by("pk").values_list("pk", flat=True))
        answered = queries.AnsweredVectors() if ids else None
        stored = 0
        with tqdm(total=len(ids), unit="问", disable=no_progress, file=self.stderr) as bar:
            for start in range(0, len(ids), CHUNK):
                chunk = [
                    (q, v)
                    for q in Question.objects.filter(pk__in=ids[start : start + CHUNK]).only(
                        "id", "title", "detail", "answer_count"
                    )
                    if (v := vectors.question_vector(q.pk)) is not None
                ]
                near = answered.nearest_many(np.array([v for _, v in chunk]), k=hybrid.CANDIDATES + 1)
                similar = {
                    q.pk: queries.similar_question_ids(q, vector=v, semantic=_precomputed(found))
                    for (q, v), found in zip(chunk, near, strict=True)
                }
                best = queries.best_answer_ids(sorted({qid for found in similar.values() for qid in found}))
                answers = {
                    qid: [best[s] for s in found if s in best][: queries.WAITING_HELP_COUNT]
                    for qid, found in similar.items()
                }
                services.store_similar_answers(answers_by_question=answers)
                stored += sum(1 for found in answers.values() if found)
                bar.update(len(ids[start : start + CHUNK]))
        self.stdout.write(
            f"{stored} of {len(ids)} waiting questions got similar answers in {time.monotonic() - started:.1f}s"
        )
