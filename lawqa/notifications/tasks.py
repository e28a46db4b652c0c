"""Background jobs of the notifications app. Each may run more than once (lawqa.common.taskqueue
retries): a notice is unique per recipient and event, and a mailed notice is no longer due."""

from django.db import transaction
from django_tasks import task

from lawqa.notifications import services
from lawqa.notifications.models import Notification


@task()
def task_notify_new_answer(answer_id: int) -> None:
    """Tell the asker that a lawyer answered their question (in-site + e-mail as they chose), and
    plan the notices to the question's followers (in batches, see notify_followers_batch)."""
    from lawqa.questions.models import Answer

    answer = Answer.objects.select_related("question__asker", "lawyer").filter(pk=answer_id).first()
    if answer is None or answer.is_hidden or answer.question.is_hidden:
        return
    question = answer.question
    event_key = f"answer:{answer.pk}"
    with transaction.atomic():
        if question.asker_id != answer.lawyer_id:
            services.notify(
                recipient=question.asker,
                kind=Notification.Kind.NEW_ANSWER,
                title=f"您的问题「{question.title}」有了新回答",
                url=answer.get_absolute_url(),
                question=question,
                event_key=event_key,
            )
        services.plan_follower_notices(event_key=event_key)


@task()
def task_notify_supplement(supplement_id: int) -> None:
    """补充问题: tell the lawyers who answered the question, then plan the followers' notices."""
    from lawqa.questions.models import Answer, QuestionSupplement

    supplement = QuestionSupplement.objects.select_related("question").filter(pk=supplement_id).first()
    if supplement is None or supplement.is_hidden or supplement.question.is_hidden:
        return
    question = supplement.question
    event_key = f"supplement:{supplement.pk}"
    answers = Answer.objects.filter(
        question=question, is_hidden=False, lawyer__is_active=True
    ).select_related("lawyer")
    with transaction.atomic():
        for answer in answers:
            if answer.lawyer_id == question.asker_id:
                continue
            services.notify(
                recipient=answer.lawyer,
                kind=Notification.Kind.SUPPLEMENT,
                title=f"您解答过的问题「{question.title}」有了提问人的补充说明",
                url=supplement.get_absolute_url(),
                question=question,
                event_key=event_key,
            )
        services.plan_follower_notices(event_key=event_key)


@task()
def task_notify_rating(rating_id: int) -> None:
    """Tell the lawyer that the asker rated their answer."""
    from lawqa.questions.models import AnswerRating

    rating = (
        AnswerRating.objects.select_related("answer__question", "answer__lawyer").filter(pk=rating_id).first()
    )
    if rating is None or rating.answer.is_hidden:
        return
    answer = rating.answer
    services.notify(
        recipient=answer.lawyer,
        kind=Notification.Kind.RATING,
        title=f"提问人评价了您在「{answer.question.title}」下的回答：{rating.get_score_display()}",
        url=answer.get_absolute_url(),
        question=answer.question,
        event_key=f"rating:{rating.pk}",
    )


@task()
def task_notify_followers_batch(event_key: str, first_follow_id: int, last_follow_id: int) -> None:
    """One batch of a question's followers (one transaction), see services.notify_followers_batch."""
    services.notify_followers_batch(
        event_key=event_key, first_follow_id=first_follow_id, last_follow_id=last_follow_id
    )


@task()
def task_send_notification_mails(notification_ids: list[int]) -> None:
    """The instant e-mails of these notices, over one mail-server connection."""
    services.send_notification_mails(notification_ids=notification_ids)


@task()
def task_send_digests() -> None:
    """The daily digest: one task per batch of users waiting for theirs (`manage.py send_digests`)."""
    services.plan_digests()


@task()
def task_send_digest_batch(user_ids: list[int]) -> None:
    """The digests of one batch of users, over one mail-server connection."""
    services.send_digest_batch(user_ids=user_ids)
