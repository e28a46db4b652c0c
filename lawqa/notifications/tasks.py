"""Background jobs of the notifications app."""

from django_tasks import task

from lawqa.notifications import services
from lawqa.notifications.models import Notification


@task()
def task_notify_new_answer(answer_id: int) -> None:
    """Tell the asker that a lawyer answered their question (in-site + e-mail)."""
    from lawqa.questions.models import Answer

    answer = Answer.objects.select_related("question__asker", "lawyer").filter(pk=answer_id).first()
    if answer is None or answer.is_hidden or answer.question.asker_id == answer.lawyer_id:
        return
    question = answer.question
    services.notify(
        recipient=question.asker,
        kind=Notification.Kind.NEW_ANSWER,
        title=f"您的问题「{question.title}」有了新回答",
        url=answer.get_absolute_url(),
        question=question,
    )
