"""Answers API: 追问 and the lawyer's reply, accept, 有帮助 vote, 评价 and the lawyer's reply to
it; a lawyer edits their answer; anyone reads an answer's revision history with its diffs. The same
services, rules and queries as the pages (questions.services, questions.queries.answer_revisions /
revision_diffs)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from lawqa.common.converters import MAX_ID
from lawqa.common.ratelimit import check_rate
from lawqa.questions import queries, rules, services
from lawqa.questions.models import Answer, AnswerRating

from .fields import text_field
from .ops import public, write
from .questions import FollowUpOut, RatingOut

router = Router(tags=["回答"])

AnswerId = Path(..., ge=1, le=MAX_ID, description="回答编号")


class AnswerEditIn(Schema):
    body: text_field(services.ANSWER_RULE)


class EditedAnswerOut(Schema):
    id: int
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    # True while the edited answer waits for a moderator (e.g. it now carries a contact detail).
    held: bool
    url: str
    history_url: str

    @staticmethod
    def resolve_held(obj: Answer) -> bool:
        return obj.is_held

    @staticmethod
    def resolve_url(obj: Answer) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_history_url(obj: Answer) -> str:
        return reverse("questions:answer_history", args=[obj.pk])


class DiffPartOut(Schema):
    """A piece of the diff: op is equal, insert, delete, or skip (text is then the number of
    unchanged characters left out)."""

    op: str
    text: str


class RevisionOut(Schema):
    number: int
    created_at: datetime
    body: str
    # The changes from the version before (empty for the first version).
    diff: list[DiffPartOut]
    inserted: int
    deleted: int


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=50)


@router.patch(
    "/{id:answer_id}",
    **write(
        {200: EditedAnswerOut},
        404,
        summary="修改回答（回答的律师）",
        description=(
            "回答的律师修改自己的回答：与新回答一样遮盖个人信息、检查法条引用；旧版本保留在公开的修改记录里。"
            "新增联系方式或链接的修改会先等待版主审核（held 为 true）；内容没有变化为 400。限频：每小时30次。"
        ),
    ),
)
def edit_answer(request, payload: AnswerEditIn, answer_id: int = AnswerId):
    # The answering lawyer replaces the text of their answer (questions.services.edit_answer).
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    check_rate(request, "answer_edit")
    return services.edit_answer(answer=answer, by=request.user, body=payload.body)


@router.get(
    "/{id:answer_id}/revisions",
    **public(
        {200: list[RevisionOut]},
        404,
        summary="回答的修改记录",
        description="修改过的回答的每个版本，最新的在前，每个版本附与前一版本的差异；从未修改的回答没有记录。",
    ),
)
@paginate(Pages, page_size=10)
def answer_revisions(request, answer_id: int = AnswerId):
    # The versions of an edited answer, newest first; public for a visible answer.
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    own_held = answer.is_held and request.user.pk == answer.lawyer_id
    if (answer.is_hidden or answer.question.is_hidden) and not (own_held or rules.can_moderate(request.user)):
        raise Http404("回答不存在或已被隐藏")
    return _RevisionPages(answer)


class _RevisionPages:
    """The revisions as a sliceable sequence for the paginator: each page is diffed with one
    extra query (the version before its oldest), as on the history page."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.qs = queries.answer_revisions(answer)

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, item: slice) -> list[dict]:
        page = list(self.qs[item])
        return [
            {
                "number": v["revision"].number,
                "created_at": v["revision"].created_at,
                "body": v["revision"].body,
                "diff": [{"op": s.op, "text": s.text} for s in v["segments"]],
                "inserted": v["inserted"],
                "deleted": v["deleted"],
            }
            for v in queries.revision_diffs(self.answer, page)
        ]


# --- 追问, accept, vote, 评价 -------------------------------------------------------------------


class FollowUpIn(Schema):
    body: text_field(services.FOLLOWUP_RULE)


class AcceptIn(Schema):
    score: Literal["satisfied", "neutral", "unsatisfied", ""] = Field(
        "", description="同时评价（选填）：satisfied 满意 / neutral 一般 / unsatisfied 不满意"
    )
    comment: text_field(services.RATING_COMMENT_RULE) = ""


class AcceptedOut(Schema):
    id: int
    is_accepted: bool
    rating: RatingOut | None

    @staticmethod
    def resolve_rating(obj: Answer) -> AnswerRating | None:
        return AnswerRating.objects.filter(answer=obj).first()


class VoteOut(Schema):
    voted: bool = Field(description="调用者现在是否投了“有帮助”")
    helpful_count: int


class RatingIn(Schema):
    score: Literal["satisfied", "neutral", "unsatisfied"]
    comment: text_field(services.RATING_COMMENT_RULE) = ""


class RatingReplyIn(Schema):
    body: text_field(services.RATING_REPLY_RULE)


def _visible_answer(answer_id: int) -> Answer:
    answers = Answer.objects.select_related("question").filter(is_hidden=False, question__is_hidden=False)
    return get_object_or_404(answers, pk=answer_id)


@router.post(
    "/{id:answer_id}/followups",
    **write(
        {201: FollowUpOut},
        404,
        summary="追问 / 律师回复",
        description=(
            "提问人在回答下追问，回答的律师回复追问（2–1000字，个人信息会被遮盖）；其他人为 403，"
            "已关闭的问题不能追问。限频：每小时30条。"
        ),
    ),
)
def add_followup(request, payload: FollowUpIn, answer_id: int = AnswerId):
    answer = _visible_answer(answer_id)
    check_rate(request, "followup")
    return Status(201, services.add_followup(answer=answer, author=request.user, body=payload.body))


@router.post(
    "/{id:answer_id}/accept",
    **write(
        {200: AcceptedOut},
        404,
        409,
        summary="采纳回答（提问人）",
        description=(
            "提问人采纳一条回答（之前采纳的回答随之取消），可同时评价（score、comment）。"
            "已采纳的回答再次采纳为 409；评价不合规则时采纳也不生效。"
        ),
    ),
)
def accept_answer(request, payload: AcceptIn, answer_id: int = AnswerId):
    answer = _visible_answer(answer_id)
    if payload.score:
        check_rate(request, "rate")
    return services.accept_answer(
        answer=answer, by=request.user, score=payload.score, comment=payload.comment
    )


@router.post(
    "/{id:answer_id}/vote",
    **write(
        {200: VoteOut},
        404,
        summary="“有帮助”投票（切换）",
        description="与网页上的按钮相同：没投过则投一票，投过则撤回。不能给自己的回答投票（403）。限频：每小时120次。",
    ),
)
def vote(request, answer_id: int = AnswerId):
    answer = _visible_answer(answer_id)
    check_rate(request, "vote")
    answer = services.vote_helpful(answer=answer, user=request.user)
    voted = bool(queries.voted_answer_ids(request.user, [answer.pk]))
    return {"voted": voted, "helpful_count": answer.helpful_count}


@router.post(
    "/{id:answer_id}/rating",
    **write(
        {201: RatingOut},
        404,
        409,
        summary="评价回答（提问人）",
        description="提问人评价自己问题下的回答：满意 / 一般 / 不满意，可附最多200字的评价；每条回答只能评价一次（再次评价为 409）。",
    ),
)
def rate_answer(request, payload: RatingIn, answer_id: int = AnswerId):
    answer = _visible_answer(answer_id)
    check_rate(request, "rate")
    return Status(
        201,
        services.rate_answer(answer=answer, by=request.user, score=payload.score, comment=payload.comment),
    )


@router.post(
    "/{id:answer_id}/rating/reply",
    **write(
        {200: RatingOut},
        404,
        409,
        summary="回复评价（回答的律师）",
        description="回答的律师对提问人的评价回复一次（2–500字）；还没有评价或已经回复过为 409。",
    ),
)
def reply_to_rating(request, payload: RatingReplyIn, answer_id: int = AnswerId):
    answer = _visible_answer(answer_id)
    check_rate(request, "rating_reply")
    return services.reply_to_rating(answer=answer, by=request.user, body=payload.body)
