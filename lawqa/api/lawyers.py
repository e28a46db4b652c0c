"""Lawyers API: the directory, a lawyer's public profile and the questions they answered; the
律师工作台's list of questions waiting for the calling lawyer. The pages' queries
(lawyers.queries, questions.queries) with cursor pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from lawqa.common.converters import MAX_ID
from lawqa.common.regions import PROVINCES
from lawqa.common.text import TextRule
from lawqa.lawyers import queries, rules
from lawqa.lawyers.models import LawyerProfile
from lawqa.questions import queries as question_queries
from lawqa.questions.models import Category

from .fields import text_field
from .ops import public, signed_in
from .pagination import CursorPage, Key, PageIn, keyset_page
from .questions import AreaOut, AreaSlug, QuestionOut

router = Router(tags=["律师"])

CITY_RULE = TextRule(field="city", label="城市", max_chars=20)


class LawyerCardOut(Schema):
    """A verified lawyer's public record, as the directory shows it."""

    id: int = Field(description="律师的用户编号")
    name: str
    firm: str
    province: str
    city: str
    areas: list[AreaOut]
    helped_count: int = Field(description="已帮助人数（回答被采纳的提问人数）")
    answer_count: int
    accepted_count: int
    accepted_percent: int | None = Field(description="被采纳率（%）；还没有回答时为 null")
    median_answer_minutes: int | None = Field(description="从提问到这位律师回答的用时中位数（分钟）")
    rating_satisfied: int
    rating_neutral: int
    rating_unsatisfied: int
    satisfied_percent: int | None
    rank_score: float = Field(description="推荐分（0–1），只看回答质量，与付费无关")
    is_demo: bool = Field(description="演示数据（导入的示例律师）")
    url: str

    @staticmethod
    def resolve_id(obj: LawyerProfile) -> int:
        return obj.user_id

    @staticmethod
    def resolve_name(obj: LawyerProfile) -> str:
        return obj.real_name

    @staticmethod
    def resolve_areas(obj: LawyerProfile) -> list:
        return [{"name": a.name, "slug": a.slug} for a in obj.areas.all()]

    @staticmethod
    def resolve_url(obj: LawyerProfile) -> str:
        return obj.get_absolute_url()


class LawyerRatingOut(Schema):
    question_id: int
    question_title: str
    score: str
    comment: str
    reply: str
    created_at: datetime


class LawyerProfileOut(LawyerCardOut):
    bio: str
    recent_ratings: list[LawyerRatingOut] = Field(description="最近收到的评价（最多5条）")


class DirectoryIn(PageIn):
    province: Literal[tuple(PROVINCES)] | None = Field(None, description="执业省份")  # type: ignore[valid-type]
    city: text_field(CITY_RULE) = Field("", description="执业城市，如“杭州”")
    area: AreaSlug | None = Field(None, description="擅长领域")
    sort: Literal["helped", "rank"] = Field(
        "helped", description="helped 帮助人数最多 / rank 综合推荐（推荐分）"
    )


# Directory orders as keysets: the page's order, made total by the id.
DIRECTORY_KEYS = {
    "helped": (Key("helped_count"), Key("answer_count"), Key("id", descending=False)),
    "rank": (Key("rank_score", kind="micro"), Key("id", descending=False)),
}


@router.get(
    "",
    **public(
        {200: CursorPage[LawyerCardOut]},
        summary="律师名录",
        description="通过认证的执业律师，默认按帮助人数排序，可按省份、城市、擅长领域筛选，或按推荐分排序。",
    ),
)
def directory(request, params: Query[DirectoryIn]):
    area = Category.objects.get(slug=params.area) if params.area else None
    lawyers = queries.verified_lawyers(
        province=params.province or "", city=params.city.strip(), area=area, sort=params.sort
    )
    return keyset_page(lawyers, cursor=params.cursor, limit=params.limit, keys=DIRECTORY_KEYS[params.sort])


LawyerId = Path(..., ge=1, le=MAX_ID, description="律师的用户编号")


@router.get(
    "/{id:user_id}",
    **public(
        {200: LawyerProfileOut},
        404,
        summary="律师主页",
        description="律师的执业记录（回答数、被采纳率、回答用时、评价）、擅长领域、简介和最近的评价。",
    ),
)
def profile(request, user_id: int = LawyerId):
    try:
        lawyer = queries.profile_page(user_id)
    except LawyerProfile.DoesNotExist:
        raise Http404("该律师不存在或尚未通过认证") from None
    ratings = question_queries.lawyer_recent_ratings(user_id) if lawyer.rating_count else []
    lawyer.recent_ratings = [
        {
            "question_id": r.answer.question.pk,
            "question_title": r.answer.question.title,
            "score": r.score,
            "comment": r.comment,
            "reply": r.reply,
            "created_at": r.created_at,
        }
        for r in ratings
    ]
    return lawyer


@router.get(
    "/{id:user_id}/questions",
    **public(
        {200: CursorPage[QuestionOut]},
        404,
        summary="律师回答过的问题",
        description="这位律师回答过的公开问题，按提问时间倒序。",
    ),
)
def answered_questions(request, params: Query[PageIn], user_id: int = LawyerId):
    if not LawyerProfile.objects.filter(user_id=user_id, status=LawyerProfile.Status.VERIFIED).exists():
        raise Http404("该律师不存在或尚未通过认证")
    qs = question_queries.lawyer_answered_questions(user_id)
    return keyset_page(qs, cursor=params.cursor, limit=params.limit)


class WorkspaceIn(PageIn):
    scope: Literal[tuple(queries.WORKSPACE_SCOPES)] = Field(  # type: ignore[valid-type]
        "all", description="all 全部 / routed 推送给我的 / province 本省·擅长领域 / areas 全国·擅长领域"
    )
    area: AreaSlug | None = Field(None, description="只看我擅长的这个领域")
    status: Literal["", "open"] = Field("", description="空：未采纳的问题 / open：无人回答的问题")
    sort: Literal[tuple(queries.WORKSPACE_SORTS)] = Field(  # type: ignore[valid-type]
        "waiting", description="waiting 等待最久 / same 同问最多 / followers 关注最多 / newest 最新提问"
    )


class WaitingQuestionOut(QuestionOut):
    routed: bool = Field(description="是否为系统推送给调用者的问题")
    follower_count: int
    same_question_count: int


WORKSPACE_KEYS = {
    "waiting": (Key("created_at", descending=False, kind="time"), Key("id", descending=False)),
    "same": (
        Key("same_question_count"),
        Key("created_at", descending=False, kind="time"),
        Key("id", descending=False),
    ),
    "followers": (
        Key("follower_count"),
        Key("created_at", descending=False, kind="time"),
        Key("id", descending=False),
    ),
    "newest": (Key("created_at", kind="time"), Key("id")),
}


@router.get(
    "/workspace/questions",
    **signed_in(
        {200: CursorPage[WaitingQuestionOut]},
        403,
        summary="律师工作台：待解答的问题",
        description=(
            "与网站“律师工作台”相同：推送给调用者的问题和调用者擅长领域里尚未采纳的问题（不含自己提的、"
            "已回答过的），可按范围、领域、状态筛选和排序。只有通过认证的执业律师可以调用（其他人为 403）。"
        ),
    ),
)
def workspace_questions(request, params: Query[WorkspaceIn]):
    if not rules.can_use_workspace(request.user):
        raise PermissionDenied("只有通过认证的执业律师可以使用律师工作台")
    profile_row = request.user.lawyer_profile
    area_ids = list(profile_row.areas.values_list("id", flat=True))
    area_id = None
    if params.area:
        area_id = (
            Category.objects.filter(slug=params.area, id__in=area_ids).values_list("id", flat=True).first()
        )
        if area_id is None:  # not one of my areas: nothing waits there for me
            return {"items": [], "next_cursor": None}
    qs = queries.workspace_questions(
        request.user,
        area_ids=area_ids,
        province=profile_row.province,
        scope=params.scope,
        area_id=area_id,
        status=params.status,
        sort=params.sort,
    ).select_related("asker")
    return keyset_page(qs, cursor=params.cursor, limit=params.limit, keys=WORKSPACE_KEYS[params.sort])
