"""Background jobs of legalai."""

from django_tasks import task


@task()
def task_route_question(question_id: int) -> None:
    """Route a new (or re-categorised) question to the lawyers of its practice area, and rank
    its article suggestions now rather than on its first page view."""
    from lawqa.legalai import services
    from lawqa.questions.models import Question

    question = Question.objects.filter(pk=question_id).first()
    if question is not None:
        services.route_question(question=question)
        services.warm_suggestions(question)
