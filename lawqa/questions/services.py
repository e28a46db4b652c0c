"""Every write on questions, answers, follow-ups and votes.

Public text is masked (phone / ID / card numbers …) before it is stored; each change that the
search index must see leaves an outbox row; the lawyer's public counters are refreshed in the same
transaction; routing and notifications run as background tasks after commit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from lawqa.accounts.models import User
from lawqa.lawyers import services as lawyer_services
from lawqa.privacy import services as privacy_services
from lawqa.search import services as search_services
from lawqa.statutes import services as statute_services

from . import rules
from .models import Answer, AnswerVote, Category, FollowUp, Question

TITLE_MIN, TITLE_MAX = 5, 50
DETAIL_MAX = 3000
ANSWER_MIN, ANSWER_MAX = 10, 10000
FOLLOWUP_MAX = 1000


def validate_question_text(*, title: str, detail: str) -> tuple[str, str]:
    """Strip and check a question's title and detail; raise ValidationError with a Chinese message."""
    title = " ".join((title or "").split())
    detail = (detail or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not title:
        errors["title"] = [ValidationError("请填写问题标题，用一句话概括您的问题", code="title_required")]
    elif len(title) < TITLE_MIN:
        errors["title"] = [ValidationError("标题至少需要5个字，请具体描述您的问题", code="title_too_short")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [
            ValidationError(
                f"标题最多50个字（现在是{len(title)}个字），详细情况请写在问题描述里", code="title_too_long"
            )
        ]
    if len(detail) > DETAIL_MAX:
        errors["detail"] = [
            ValidationError(
                f"问题描述最多3000字（现在是{len(detail)}字），请删减后再提交", code="detail_too_long"
            )
        ]
    if errors:
        raise ValidationError(errors)
    return title, detail


def _category(category: Category | str | int | None) -> Category:
    if isinstance(category, Category):
        return category
    try:
        if isinstance(category, int) or (isinstance(category, str) and category.isdigit()):
            return Category.objects.get(pk=int(category))
        return Category.objects.get(slug=category or "")
    except Category.DoesNotExist:
        raise ValidationError(
            {"category": [ValidationError("请从列表中选择一个专业领域", code="unknown_category")]}
        ) from None


@transaction.atomic
def create_question(
    *,
    asker: User,
    title: str,
    detail: str,
    category: Category | str | int | None,
    is_anonymous: bool = False,
    province: str = "",
) -> Question:
    """Create a question from the asker's text. Masks personal data in title and detail, queues the
    question for the search index and, after commit, routes it to lawyers of its practice area."""
    if not rules.can_ask(asker):
        raise PermissionDenied("请先登录后再提问")
    title, detail = validate_question_text(title=title, detail=detail)
    area = _category(category)
    title = privacy_services.mask_public_text(title).text
    detail = privacy_services.mask_public_text(detail).text
    question = Question.objects.create(
        asker=asker,
        title=title,
        detail=detail,
        category=area,
        is_anonymous=is_anonymous,
        province=province or asker.province,
    )
    search_services.mark_question_changed(question_id=question.pk)
    transaction.on_commit(lambda: _enqueue_routing(question.pk))
    return question


def _enqueue_routing(question_id: int) -> None:
    from lawqa.legalai.tasks import task_route_question

    task_route_question.enqueue(question_id)


@transaction.atomic
def change_category(*, question: Question, category: Category | str | int, by: User) -> Question:
    """Move a question to another practice area (asker or moderator) and route it again."""
    if not (by.is_authenticated and (by.pk == question.asker_id or by.is_moderator)):
        raise PermissionDenied("只有提问人或版主可以修改问题分类")
    area = _category(category)
    if area.pk != question.category_id:
        question.category = area
        question.save(update_fields=["category", "updated_at"])
        search_services.mark_question_changed(question_id=question.pk)
        transaction.on_commit(lambda: _enqueue_routing(question.pk))
    return question


def _refresh_question_state(question: Question) -> None:
    """Recompute answer_count and status from the visible answers."""
    visible = question.answers.filter(is_hidden=False)
    question.answer_count = visible.count()
    if question.status != Question.Status.CLOSED:
        if visible.filter(is_accepted=True).exists():
            question.status = Question.Status.ACCEPTED
        elif question.answer_count:
            question.status = Question.Status.ANSWERED
        else:
            question.status = Question.Status.OPEN
    question.save(update_fields=["answer_count", "status", "updated_at"])


@transaction.atomic
def post_answer(*, question: Question, lawyer: User, body: str) -> Answer:
    """Publish a verified lawyer's answer: masks personal data, renders markdown with citation
    links, stores the citations, updates the question's status and the lawyer's counters."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Question.Status.CLOSED:
        raise ValidationError("该问题已关闭，不能再回答", code="question_closed")
    if not rules.can_answer(lawyer, question):
        raise PermissionDenied("只有通过认证的执业律师才能回答问题")
    if question.answers.filter(lawyer=lawyer).exists():
        raise ValidationError(
            "您已经回答过这个问题。如需补充，请在原回答下回复提问人的追问", code="already_answered"
        )
    body = (body or "").strip()
    if len(body) < ANSWER_MIN:
        raise ValidationError(
            {"body": [ValidationError("回答至少需要10个字，请给出具体的法律意见", code="answer_too_short")]}
        )
    if len(body) > ANSWER_MAX:
        raise ValidationError(
            {"body": [ValidationError("回答最多10000字，请精简后再提交", code="answer_too_long")]}
        )
    body = privacy_services.mask_public_text(body).text
    answer = Answer.objects.create(
        question=question, lawyer=lawyer, body=body, body_html=statute_services.render_answer_html(body)
    )
    statute_services.record_citations(answer=answer)
    _refresh_question_state(question)
    lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer.pk)
    search_services.mark_question_changed(question_id=question.pk)
    transaction.on_commit(lambda: _enqueue_answer_notice(answer.pk))
    return answer


def _enqueue_answer_notice(answer_id: int) -> None:
    from lawqa.notifications.tasks import task_notify_new_answer

    task_notify_new_answer.enqueue(answer_id)


@transaction.atomic
def add_followup(*, answer: Answer, author: User, body: str) -> FollowUp:
    """The asker's 追问 under an answer, or the answering lawyer's reply."""
    answer = Answer.objects.select_related("question").get(pk=answer.pk)  # current visibility / status
    if not rules.can_follow_up(author, answer):
        raise PermissionDenied("只有提问人可以追问，只有回答的律师可以回复")
    body = (body or "").strip()
    if len(body) < 2:
        raise ValidationError({"body": [ValidationError("请填写追问内容", code="followup_empty")]})
    if len(body) > FOLLOWUP_MAX:
        raise ValidationError(
            {"body": [ValidationError("追问最多1000字，请精简后再提交", code="followup_too_long")]}
        )
    kind = FollowUp.Kind.REPLY if author.pk == answer.lawyer_id else FollowUp.Kind.QUESTION
    return FollowUp.objects.create(
        answer=answer, author=author, kind=kind, body=privacy_services.mask_public_text(body).text
    )


@transaction.atomic
def accept_answer(*, answer: Answer, by: User) -> Answer:
    """Mark `answer` accepted; a previously accepted answer of the question loses the mark."""
    answer = Answer.objects.select_related("question").select_for_update().get(pk=answer.pk)
    if not rules.can_accept(by, answer):
        raise PermissionDenied("只有提问人可以采纳回答")
    if answer.is_accepted:
        raise ValidationError("您已经采纳了这条回答", code="already_accepted")
    previous = list(
        Answer.objects.filter(question=answer.question, is_accepted=True).values_list("lawyer_id", flat=True)
    )
    Answer.objects.filter(question=answer.question, is_accepted=True).update(is_accepted=False)
    answer.is_accepted = True
    answer.save(update_fields=["is_accepted", "updated_at"])
    _refresh_question_state(answer.question)
    for lawyer_id in {*previous, answer.lawyer_id}:
        lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
    search_services.mark_question_changed(question_id=answer.question_id)
    return answer


@transaction.atomic
def vote_helpful(*, answer: Answer, user: User) -> Answer:
    """Toggle the user's 有帮助 vote; returns the answer with its new count."""
    # The stored row decides (a stale instance may not know the answer was hidden meanwhile).
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if not rules.can_vote(user, answer):
        raise PermissionDenied("不能给自己的回答投票")
    vote = AnswerVote.objects.filter(answer=answer, user=user).first()
    if vote:
        vote.delete()
        Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") - 1)
    else:
        AnswerVote.objects.create(answer=answer, user=user)
        Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") + 1)
    answer.refresh_from_db(fields=["helpful_count"])
    return answer


@transaction.atomic
def close_question(*, question: Question, by: User) -> Question:
    """Close a question to new answers (the asker or a moderator)."""
    if not rules.can_close(by, question):
        raise PermissionDenied("只有提问人或版主可以关闭问题")
    question.status = Question.Status.CLOSED
    question.save(update_fields=["status", "updated_at"])
    search_services.mark_question_changed(question_id=question.pk)
    return question


def record_view(*, question_id: int) -> None:
    """Count a page view (one UPDATE, no read-modify-write race)."""
    Question.objects.filter(pk=question_id).update(view_count=F("view_count") + 1)


def refresh_question_state(*, question: Question) -> None:
    """Public wrapper used by moderation after hiding or deleting answers."""
    _refresh_question_state(question)
