"""Background jobs of legalai."""

from django.db import transaction
from django_tasks import task


@task()
def task_route_question(question_id: int) -> None:
    """Route a new (or re-categorised) question to the lawyers of its practice area and rank its
    article suggestions now rather than on its first page view; then record the job that stores
    its 类似问题的律师解答 (a job of its own: it needs this node's search index, and when the
    index is not there yet only that job waits and retries, not the routing)."""
    from lawqa.common import taskqueue
    from lawqa.legalai import services
    from lawqa.questions.models import Question

    question = Question.objects.filter(pk=question_id).first()
    if question is not None:
        with transaction.atomic():
            services.route_question(question=question)
            taskqueue.enqueue(task_refresh_similar_answers, question.pk)
        services.store_suggestions(question_id=question.pk)


@task()
def task_store_suggestions(question_id: int) -> None:
    """Rank and store a question's 可能相关的法律规定 (recorded by a page view that found none, or
    found them ranked for an older text; idempotent)."""
    from lawqa.legalai import services

    services.store_suggestions(question_id=question_id)


@task()
def task_refresh_similar_answers(question_id: int) -> None:
    """Store the answers to similar questions shown while `question_id` waits for its own
    (idempotent: the stored list is replaced; raises, and is retried, while the index is missing)."""
    from lawqa.search import services as search_services

    search_services.refresh_similar_answers(question_id=question_id)
