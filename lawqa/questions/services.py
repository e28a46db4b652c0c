"""Every write on questions, answers, follow-ups and votes.

Public text is masked (phone / ID / card numbers …) before it is stored; each change that the
search index must see leaves an outbox row; the lawyer's public counters are refreshed in the same
transaction; routing and notifications are recorded as background tasks in that same transaction
(lawqa.common.taskqueue), so a crash after commit cannot lose them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from lawqa.accounts.models import User
from lawqa.common import taskqueue
from lawqa.common.text import TextRule, clean_fields
from lawqa.lawyers import services as lawyer_services
from lawqa.moderation import rules as moderation_rules
from lawqa.moderation import screening
from lawqa.privacy import services as privacy_services
from lawqa.search import services as search_services
from lawqa.statutes import services as statute_services

from . import rules
from .models import (
    Answer,
    AnswerRating,
    AnswerRevision,
    AnswerVote,
    AreaCount,
    Category,
    FollowUp,
    Question,
    QuestionFollow,
    QuestionSupplement,
)

TITLE_MIN, TITLE_MAX = 5, 50
DETAIL_MAX = 3000
ANSWER_MIN, ANSWER_MAX = 10, 10000
FOLLOWUP_MAX = 1000
SUPPLEMENTS_PER_QUESTION = 10
SUPPLEMENT_RULE = TextRule(
    field="body",
    label="补充内容",
    min_chars=5,
    max_chars=1000,
    multiline=True,
    code="supplement",
    required_message="请填写补充内容",
    too_short_message="补充内容至少需要5个字，请写清新的情况或问题",
    too_long_message="补充内容最多1000字（现在是{length}字），请精简后再提交",
)
RATING_COMMENT_RULE = TextRule(
    field="comment",
    label="评价内容",
    max_chars=200,
    code="rating_comment",
    too_long_message="评价内容最多200字（现在是{length}字），请精简后再提交",
)
RATING_REPLY_RULE = TextRule(
    field="body",
    label="回复内容",
    min_chars=2,
    max_chars=500,
    multiline=True,
    code="reply",
    too_long_message="回复最多500字（现在是{length}字），请精简后再提交",
)


TITLE_RULE = TextRule(
    field="title",
    label="标题",
    min_chars=TITLE_MIN,
    max_chars=TITLE_MAX,
    required_message="请填写问题标题，用一句话概括您的问题",
    too_short_message="标题至少需要5个字，请具体描述您的问题",
    too_long_message="标题最多50个字（现在是{length}个字），详细情况请写在问题描述里",
)
DETAIL_RULE = TextRule(
    field="detail",
    label="问题描述",
    max_chars=DETAIL_MAX,
    multiline=True,
    too_long_message="问题描述最多3000字（现在是{length}字），请删减后再提交",
)
ANSWER_RULE = TextRule(
    field="body",
    label="回答",
    code="answer",
    min_chars=ANSWER_MIN,
    max_chars=ANSWER_MAX,
    multiline=True,
    required_message="请填写回答内容",
    too_short_message="回答至少需要10个字，请给出具体的法律意见",
    too_long_message="回答最多10000字（现在是{length}字），请精简后再提交",
)
FOLLOWUP_RULE = TextRule(
    field="body",
    label="追问内容",
    code="followup",
    min_chars=2,
    max_chars=FOLLOWUP_MAX,
    multiline=True,
    too_short_message="追问内容至少需要2个字",
    too_long_message="追问最多1000字（现在是{length}字），请精简后再提交",
)


def validate_question_text(*, title: str, detail: str) -> tuple[str, str]:
    """Clean and check a question's title and detail (lawqa.common.text); raise ValidationError
    keyed by field with a Chinese message."""
    cleaned = clean_fields({"title": (title, TITLE_RULE), "detail": (detail, DETAIL_RULE)})
    return cleaned["title"], cleaned["detail"]


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
    question for the search index and records the task that routes it to lawyers of its area.
    A question the spam rules or the premoderation of new accounts catch (moderation.screening)
    is saved held — hidden, seen only by its asker — and waits in the moderation queue; it is
    indexed and routed when a moderator approves it (release_held_post)."""
    moderation_rules.check_can_write(asker)
    if not rules.can_ask(asker):
        raise PermissionDenied("请先登录后再提问")
    title, detail = validate_question_text(title=title, detail=detail)
    area = _category(category)
    held = screening.screen_question(author=asker, title=title, detail=detail)  # the unmasked text
    title = privacy_services.mask_public_text(title).text
    detail = privacy_services.mask_public_text(detail).text
    question = Question.objects.create(
        asker=asker,
        title=title,
        detail=detail,
        category=area,
        is_anonymous=is_anonymous,
        province=province or asker.province,
        is_hidden=held is not None,
        is_held=held is not None,
    )
    if held is not None:
        _hold(question, asker, held)
        return question
    search_services.mark_question_changed(question_id=question.pk)
    _enqueue_routing(question.pk)
    # Last, so the area's counter row is locked for the shortest time before the commit.
    count_question_move(before=None, after=counted(question))
    return question


def _hold(target: Question | Answer, author: User, held: screening.Screening, is_edit: bool = False) -> None:
    from lawqa.moderation import services as moderation_services  # it imports this module

    moderation_services.hold_post(target=target, author=author, screening=held, is_edit=is_edit)


def _enqueue_routing(question_id: int) -> None:
    from lawqa.legalai.tasks import task_route_question

    taskqueue.enqueue(task_route_question, question_id)


@transaction.atomic
def change_category(*, question: Question, category: Category | str | int, by: User) -> Question:
    """Move a question to another practice area (asker or moderator) and route it again."""
    moderation_rules.check_can_write(by)
    if not (by.is_authenticated and (by.pk == question.asker_id or by.is_moderator)):
        raise PermissionDenied("只有提问人或版主可以修改问题分类")
    area = _category(category)
    before = stored_counted(question.pk)
    if area.pk != question.category_id:
        question.category = area
        question.save(update_fields=["category", "updated_at"])
        search_services.mark_question_changed(question_id=question.pk)
        _enqueue_routing(question.pk)
        count_question_move(before=before, after=before and (area.pk, before[1]))
    return question


def _refresh_question_state(question: Question) -> None:
    """Recompute answer_count and status from the visible answers (and move the question between
    its area's counts when the status changes)."""
    before = stored_counted(question.pk)
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
    count_question_move(before=before, after=before and (before[0], question.status))


@transaction.atomic
def post_answer(*, question: Question, lawyer: User, body: str) -> Answer:
    """Publish a verified lawyer's answer: masks personal data, renders markdown with citation
    links, stores the citations, updates the question's status and the lawyer's counters.
    An answer the spam rules or premoderation catch is saved held (hidden, seen by its lawyer)
    and announced only when a moderator approves it (release_held_post)."""
    moderation_rules.check_can_write(lawyer)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Question.Status.CLOSED:
        raise ValidationError("该问题已关闭，不能再回答", code="question_closed")
    if not rules.can_answer(lawyer, question):
        raise PermissionDenied("只有通过认证的执业律师才能回答问题")
    if question.answers.filter(lawyer=lawyer).exists():
        raise ValidationError(
            "您已经回答过这个问题。如需补充，请在原回答下回复提问人的追问", code="already_answered"
        )
    body = clean_fields({"body": (body, ANSWER_RULE)})["body"]
    held = screening.screen_answer(lawyer=lawyer, body=body, question=question)  # unmasked
    body = privacy_services.mask_public_text(body).text
    answer = Answer.objects.create(
        question=question,
        lawyer=lawyer,
        body=body,
        body_html=statute_services.render_answer_html(body),
        is_hidden=held is not None,
        is_held=held is not None,
    )
    statute_services.record_citations(answer=answer)
    if held is not None:
        _hold(answer, lawyer, held)
        return answer
    _refresh_question_state(question)
    lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer.pk)
    search_services.mark_question_changed(question_id=question.pk)
    _enqueue_answer_notice(answer.pk)
    return answer


@transaction.atomic
def edit_answer(*, answer: Answer, by: User, body: str) -> Answer:
    """The lawyer edits their own answer. The text is checked, masked and screened like a new
    answer (an edit that adds a contact detail is held for a moderator, the answer hidden till
    then), the citations re-checked and re-recorded and the HTML re-rendered; every version is
    kept as an AnswerRevision for the public history (the first edit also stores the text as
    first published); the page shows 已编辑 with `edited_at`; the search index is told."""
    moderation_rules.check_can_write(by)
    answer = Answer.objects.select_related("question").select_for_update().get(pk=answer.pk)
    if not rules.can_edit_answer(by, answer):
        raise PermissionDenied("只能修改自己发布的、未被隐藏的回答")
    body = clean_fields({"body": (body, ANSWER_RULE)})["body"]
    held = screening.screen_answer(lawyer=by, body=body, question=answer.question, is_edit=True)
    body = privacy_services.mask_public_text(body).text
    if body == answer.body:
        raise ValidationError(
            {"body": [ValidationError("回答内容没有变化，请修改后再保存", code="answer_unchanged")]}
        )
    now = timezone.now()
    last = answer.revisions.order_by("-number").values_list("number", flat=True).first()
    if last is None:
        AnswerRevision.objects.create(
            answer=answer,
            number=1,
            body=answer.body,
            editor_id=answer.lawyer_id,
            created_at=answer.created_at,
        )
        last = 1
    AnswerRevision.objects.create(answer=answer, number=last + 1, body=body, editor=by, created_at=now)
    answer.body = body
    answer.body_html = statute_services.render_answer_html(body)
    answer.edited_at = now
    fields = ["body", "body_html", "edited_at", "updated_at"]
    if held is not None and not answer.is_held:
        answer.is_hidden = answer.is_held = True
        fields += ["is_hidden", "is_held"]
    answer.save(update_fields=fields)
    statute_services.record_citations(answer=answer)
    if held is not None:
        _hold(answer, by, held, is_edit=True)
    _refresh_question_state(answer.question)
    lawyer_services.refresh_lawyer_stats(lawyer_id=answer.lawyer_id)
    search_services.mark_question_changed(question_id=answer.question_id)
    return answer


@transaction.atomic
def release_held_post(*, target: Question | Answer, announce: bool = True) -> None:
    """Publish a held question or answer that a moderator approved (moderation.services checks
    who may): visible from now on, counted and indexed, and — unless `announce` is False, for an
    approved edit of an answer that was public before — routed to lawyers (a question) or
    announced to the asker and followers (an answer) as if it had just been posted."""
    if isinstance(target, Question):
        question = Question.objects.select_for_update().get(pk=target.pk)
        before = counted(question)
        question.is_hidden = question.is_held = False
        question.save(update_fields=["is_hidden", "is_held", "updated_at"])
        count_question_move(before=before, after=counted(question))
        lawyer_ids = set(question.answers.values_list("lawyer_id", flat=True))
    else:
        answer = Answer.objects.select_for_update().get(pk=target.pk)
        answer.is_hidden = answer.is_held = False
        answer.save(update_fields=["is_hidden", "is_held", "updated_at"])
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        lawyer_ids = {answer.lawyer_id}
    _refresh_question_state(question)
    for lawyer_id in lawyer_ids:
        lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
    search_services.mark_question_changed(question_id=question.pk)
    if announce and isinstance(target, Question):
        _enqueue_routing(question.pk)
    elif announce:
        _enqueue_answer_notice(target.pk)


def _enqueue_answer_notice(answer_id: int) -> None:
    from lawqa.notifications.tasks import task_notify_new_answer

    taskqueue.enqueue(task_notify_new_answer, answer_id)


@transaction.atomic
def add_followup(*, answer: Answer, author: User, body: str) -> FollowUp:
    """The asker's 追问 under an answer, or the answering lawyer's reply."""
    moderation_rules.check_can_write(author)
    answer = Answer.objects.select_related("question").get(pk=answer.pk)  # current visibility / status
    if not rules.can_follow_up(author, answer):
        raise PermissionDenied("只有提问人可以追问，只有回答的律师可以回复")
    body = clean_fields({"body": (body, FOLLOWUP_RULE)})["body"]
    kind = FollowUp.Kind.REPLY if author.pk == answer.lawyer_id else FollowUp.Kind.QUESTION
    return FollowUp.objects.create(
        answer=answer, author=author, kind=kind, body=privacy_services.mask_public_text(body).text
    )


@transaction.atomic
def accept_answer(*, answer: Answer, by: User, score: str = "", comment: str = "") -> Answer:
    """Mark `answer` accepted; a previously accepted answer of the question loses the mark. With a
    `score` the asker rates it in the same transaction (see rate_answer): a rejected rating
    leaves the answer unaccepted."""
    moderation_rules.check_can_write(by)
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
    if score:
        rate_answer(answer=answer, by=by, score=score, comment=comment)
    return answer


@transaction.atomic
def vote_helpful(*, answer: Answer, user: User) -> Answer:
    """Toggle the user's 有帮助 vote; returns the answer with its new count."""
    moderation_rules.check_can_write(user)
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
    moderation_rules.check_can_write(by)
    if not rules.can_close(by, question):
        raise PermissionDenied("只有提问人或版主可以关闭问题")
    before = stored_counted(question.pk)
    question.status = Question.Status.CLOSED
    question.save(update_fields=["status", "updated_at"])
    count_question_move(before=before, after=before and (before[0], Question.Status.CLOSED))
    search_services.mark_question_changed(question_id=question.pk)
    return question


def record_view(*, question_id: int) -> None:
    """Count a page view (one UPDATE, no read-modify-write race)."""
    Question.objects.filter(pk=question_id).update(view_count=F("view_count") + 1)


def refresh_question_state(*, question: Question) -> None:
    """Public wrapper used by moderation after hiding or deleting answers."""
    _refresh_question_state(question)


@transaction.atomic
def set_question_visibility(*, question: Question, hidden: bool) -> Question:
    """Store whether the question is hidden from the public (moderation decides who may and
    does the rest: index, lawyers' counters, log) and move it out of or back into its area's
    counts."""
    before = stored_counted(question.pk)
    question.is_hidden = hidden
    question.save(update_fields=["is_hidden", "updated_at"])
    count_question_move(before=before, after=None if hidden else counted(question))
    return question


# --- Per-area question counts (AreaCount) --------------------------------------------------------
# What the home page and the area pages show, kept here instead of counted per request: at a
# million questions one GROUP BY over the table costs a few hundred milliseconds. Every write that
# creates a question, moves it to another area, hides or shows it, or changes its status moves it
# between AreaCount rows in its own transaction, by `questions = questions ± 1`: concurrent writes
# queue on the row and each adds its own change to the committed value, so none is lost (a
# COUNT in the write would not see another transaction's uncommitted question, and a cached
# aggregate is stale until its next refresh).

#: Where a question counts: (area id, status) while visible, None while hidden.
Counted = tuple[int, str] | None


def counted(question: Question) -> Counted:
    """Where this instance of a question counts (None: hidden)."""
    return None if question.is_hidden else (question.category_id, question.status)


def stored_counted(question_id: int) -> Counted:
    """Where the question counts as stored now; its row stays locked until the transaction ends,
    so a concurrent change of the same question waits and then sees this one's result."""
    category_id, status, hidden = (
        Question.objects.select_for_update()
        .values_list("category_id", "status", "is_hidden")
        .get(pk=question_id)
    )
    return None if hidden else (category_id, status)


def count_question_move(*, before: Counted, after: Counted) -> None:
    """Move one question from the `before` count to the `after` one (None: not counted). Call
    inside the write's transaction, after the question row is written."""
    if before == after:
        return
    deltas: dict[tuple[int, str], int] = {}
    if before is not None:
        deltas[before] = -1
    if after is not None:
        deltas[after] = deltas.get(after, 0) + 1
    _add_to_counts(deltas)


def count_new_questions(*, questions: list[Question]) -> None:
    """Add questions just inserted in bulk (import) to their areas' counts; call inside the
    transaction that inserted them."""
    deltas: dict[tuple[int, str], int] = {}
    for question in questions:
        key = counted(question)
        if key is not None:
            deltas[key] = deltas.get(key, 0) + 1
    _add_to_counts(deltas)


def _add_to_counts(deltas: dict[tuple[int, str], int]) -> None:
    # Rows in (area, status) order, as recount_areas locks them: two writes never wait crosswise.
    for (category_id, status), delta in sorted(deltas.items()):
        if not delta:
            continue
        row = AreaCount.objects.filter(category_id=category_id, status=status)
        if not row.update(questions=F("questions") + delta):  # a new area: its row is made once
            AreaCount.objects.get_or_create(category_id=category_id, status=status)
            row.update(questions=F("questions") + delta)


@transaction.atomic
def recount_areas() -> int:
    """Set every AreaCount row from the questions themselves: after a bulk load outside the
    services, a restore, an admin edit, or to check them (`manage.py recount_areas`). Safe while
    the site writes: the rows are locked first, in the order writers take them, so a write has
    either committed before the count (and is in it) or adds its change after this commit.
    Returns how many rows were wrong."""
    have = set(AreaCount.objects.values_list("category_id", "status"))
    AreaCount.objects.bulk_create(
        [
            AreaCount(category_id=category_id, status=status)
            for category_id in Category.objects.values_list("pk", flat=True)
            for status in Question.Status.values
            if (category_id, status) not in have
        ],
        ignore_conflicts=True,
    )
    rows = list(AreaCount.objects.select_for_update().order_by("category_id", "status"))
    actual = {
        (category_id, status): n
        for category_id, status, n in Question.objects.visible()
        .order_by()
        .values_list("category_id", "status")
        .annotate(n=Count("id"))
    }
    wrong = 0
    for row in rows:
        n = actual.get((row.category_id, row.status), 0)
        if row.questions != n:
            AreaCount.objects.filter(pk=row.pk).update(questions=n)
            wrong += 1
    return wrong


# --- 关注 / 同问, 补充问题, 评价 (the asker-facing features) ------------------------------------


@transaction.atomic
def set_follow(
    *, question: Question, user: User, notify: bool | None = None, same_question: bool | None = None
) -> QuestionFollow | None:
    """Turn `user`'s 关注 (`notify`: new answers and supplements reach them) and/or 同问
    (`same_question`: they have the same problem) on or off; None leaves a flag as it is.
    Saying 同问 also follows the question unless `notify=False` is given: someone with the same
    problem wants the answers. Keeps Question.follower_count and same_question_count in step in
    the same transaction (the question row is locked, so concurrent clicks count once). Returns
    the row, or None when both flags are off (the row is then deleted)."""
    moderation_rules.check_can_write(user)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not rules.can_follow(user, question):
        if user is not None and user.is_authenticated and question.asker_id == user.pk:
            raise PermissionDenied("这是您自己的问题，有新回答时我们会直接通知您")
        raise PermissionDenied("请先登录后再关注问题")
    follow = QuestionFollow.objects.filter(question=question, user=user).first()
    was_notify, was_same = (follow.notify, follow.same_question) if follow else (False, False)
    now_same = was_same if same_question is None else same_question
    now_notify = was_notify if notify is None else notify
    if now_same and not was_same and notify is None:
        now_notify = True
    if (now_notify, now_same) == (was_notify, was_same):
        return follow
    if not (now_notify or now_same):
        follow.delete()
        follow = None
    elif follow is None:
        follow = QuestionFollow.objects.create(
            question=question, user=user, notify=now_notify, same_question=now_same
        )
    else:
        follow.notify, follow.same_question = now_notify, now_same
        follow.save(update_fields=["notify", "same_question"])
    Question.objects.filter(pk=question.pk).update(
        follower_count=F("follower_count") + (int(now_notify) - int(was_notify)),
        same_question_count=F("same_question_count") + (int(now_same) - int(was_same)),
    )
    return follow


def refresh_follow_counts(*, question_ids: list[int]) -> None:
    """Recount follower_count and same_question_count of these questions from their rows (after
    follows were removed in bulk, e.g. when an account is erased). Call inside the write's
    transaction."""
    for question_id in question_ids:
        rows = QuestionFollow.objects.filter(question_id=question_id)
        Question.objects.filter(pk=question_id).update(
            follower_count=rows.filter(notify=True).count(),
            same_question_count=rows.filter(same_question=True).count(),
        )


@transaction.atomic
def remove_user_follows(*, user: User) -> int:
    """Delete every 关注 / 同问 of `user` and recount the questions they were on (account
    erasure). Returns how many rows went."""
    question_ids = list(QuestionFollow.objects.filter(user=user).values_list("question_id", flat=True))
    deleted, _ = QuestionFollow.objects.filter(user=user).delete()
    refresh_follow_counts(question_ids=question_ids)
    return deleted


@transaction.atomic
def add_supplement(*, question: Question, author: User, body: str) -> QuestionSupplement:
    """补充问题: the asker adds detail under their question. Masks personal data; the lawyers who
    answered and the question's followers are told by a background task recorded in the same
    transaction (in-site, and by e-mail as each recipient chose)."""
    moderation_rules.check_can_write(author)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not rules.can_supplement(author, question):
        if (
            question.status == Question.Status.CLOSED
            and author.is_authenticated
            and author.pk == question.asker_id
        ):
            raise ValidationError("问题已关闭，不能再补充", code="question_closed")
        raise PermissionDenied("只有提问人可以补充问题")
    body = clean_fields({"body": (body, SUPPLEMENT_RULE)})["body"]
    if question.supplements.count() >= SUPPLEMENTS_PER_QUESTION:
        raise ValidationError(
            f"每个问题最多补充{SUPPLEMENTS_PER_QUESTION}次。如有新的问题，请重新提问",
            code="too_many_supplements",
        )
    supplement = QuestionSupplement.objects.create(
        question=question, body=privacy_services.mask_public_text(body).text
    )
    question.save(update_fields=["updated_at"])
    _enqueue_supplement_notice(supplement.pk)
    return supplement


def _enqueue_supplement_notice(supplement_id: int) -> None:
    from lawqa.notifications.tasks import task_notify_supplement

    taskqueue.enqueue(task_notify_supplement, supplement_id)


def _validate_score(score: str) -> None:
    if score not in AnswerRating.Score.values:
        raise ValidationError(
            {"score": [ValidationError("请选择评价：满意、一般或不满意", code="score_required")]}
        )


@transaction.atomic
def rate_answer(*, answer: Answer, by: User, score: str, comment: str = "") -> AnswerRating:
    """评价: the asker rates an answer to their question 满意 / 一般 / 不满意 with an optional
    short comment (masked). One rating per answer, final once given; the lawyer is told."""
    moderation_rules.check_can_write(by)
    answer = Answer.objects.select_related("question").select_for_update().get(pk=answer.pk)
    if not rules.can_rate(by, answer):
        raise PermissionDenied("只有提问人可以评价回答")
    _validate_score(score)
    comment = clean_fields({"comment": (comment, RATING_COMMENT_RULE)})["comment"]
    if AnswerRating.objects.filter(answer=answer).exists():
        raise ValidationError("您已经评价过这条回答，评价提交后不能修改", code="already_rated")
    rating = AnswerRating.objects.create(
        answer=answer, score=score, comment=privacy_services.mask_public_text(comment).text
    )
    # The profile shows rating counts and ranks by them (推荐律师).
    lawyer_services.refresh_lawyer_stats(lawyer_id=answer.lawyer_id)
    _enqueue_rating_notice(rating.pk)
    return rating


def _enqueue_rating_notice(rating_id: int) -> None:
    from lawqa.notifications.tasks import task_notify_rating

    taskqueue.enqueue(task_notify_rating, rating_id)


@transaction.atomic
def reply_to_rating(*, answer: Answer, by: User, body: str) -> AnswerRating:
    """The rated lawyer's one public reply to the asker's 评价 (masked, not editable)."""
    moderation_rules.check_can_write(by)
    answer = Answer.objects.select_related("question").get(pk=answer.pk)
    if not rules.can_reply_to_rating(by, answer):
        raise PermissionDenied("只有回答该问题的律师可以回复评价")
    rating = AnswerRating.objects.select_for_update().filter(answer=answer).first()
    if rating is None:
        raise ValidationError("提问人还没有评价这条回答", code="not_rated")
    if rating.reply:
        raise ValidationError("每条评价只能回复一次，您已经回复过了", code="already_replied")
    body = clean_fields({"body": (body, RATING_REPLY_RULE)})["body"]
    rating.reply = privacy_services.mask_public_text(body).text
    rating.replied_at = timezone.now()
    rating.save(update_fields=["reply", "replied_at"])
    return rating
