"""Questions API: lists (cursor pages; the page-numbered list is kept, deprecated), read, ask,
answer, close; 关注 / 同问 and 补充问题. The same services, rules and rate limits as the pages
(questions.services / rules / queries); the operation texts are the API docs (Chinese)."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from lawqa.common.areas import AREAS
from lawqa.common.converters import MAX_ID
from lawqa.common.ratelimit import check_rate
from lawqa.common.regions import PROVINCES
from lawqa.questions import queries, rules, services
from lawqa.questions.models import Answer, AnswerRating, FollowUp, Question

from .fields import text_field
from .ops import public, write
from .pagination import CursorPage, PageIn, keyset_page

router = Router(tags=["问题"])

# Highest page number the deprecated page-numbered list accepts (20 million questions).
MAX_PAGE = 1_000_000

QuestionId = Path(..., ge=1, le=MAX_ID, description="问题编号")


class AreaOut(Schema):
    name: str
    slug: str


class QuestionOut(Schema):
    """A question as lists show it."""

    id: int
    title: str
    area: AreaOut
    status: str = Field(description="open 待解答 / answered 已解答 / accepted 已采纳 / closed 已关闭")
    status_label: str
    asker: str = Field(description="提问人昵称；匿名提问显示“匿名用户”")
    answer_count: int
    view_count: int
    created_at: datetime
    url: str
    held: bool = Field(description="为 true 时问题正等待版主审核，只有提问人自己看得到")

    @staticmethod
    def resolve_held(obj: Question) -> bool:
        return obj.is_held

    @staticmethod
    def resolve_area(obj: Question) -> dict:
        return {"name": obj.category.name, "slug": obj.category.slug}

    @staticmethod
    def resolve_status_label(obj: Question) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_asker(obj: Question) -> str:
        return obj.asker_display

    @staticmethod
    def resolve_url(obj: Question) -> str:
        return obj.get_absolute_url()


class LawyerOut(Schema):
    id: int = Field(description="律师的用户编号（GET /api/v1/lawyers/{id} 查看主页）")
    name: str
    verified: bool
    firm: str
    city: str
    helped_count: int


class RatingOut(Schema):
    score: str = Field(description="satisfied 满意 / neutral 一般 / unsatisfied 不满意")
    score_label: str
    comment: str
    reply: str = Field(description="律师对评价的回复（没有回复时为空）")
    replied_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_score_label(obj: AnswerRating) -> str:
        return obj.get_score_display()


class FollowUpOut(Schema):
    id: int
    kind: str = Field(description="question 提问人的追问 / reply 律师的回复")
    kind_label: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: FollowUp) -> str:
        return obj.get_kind_display()


class AnswerOut(Schema):
    id: int
    lawyer: LawyerOut | None
    body_html: str = Field(description="回答正文（已净化的 HTML，法条引用带链接）")
    helpful_count: int
    is_accepted: bool
    created_at: datetime
    edited_at: datetime | None = Field(description="最后修改时间；从未修改为 null")
    held: bool = Field(description="为 true 时回答正等待版主审核，只有回答的律师自己看得到")
    url: str
    rating: RatingOut | None
    followups: list[FollowUpOut] = Field(description="追问与律师回复，按时间先后")

    @staticmethod
    def resolve_held(obj: Answer) -> bool:
        return obj.is_held

    @staticmethod
    def resolve_url(obj: Answer) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_rating(obj: Answer) -> AnswerRating | None:
        return getattr(obj, "rating", None)

    @staticmethod
    def resolve_followups(obj: Answer) -> list:
        return [f for f in obj.followups.all() if not f.is_hidden]

    @staticmethod
    def resolve_lawyer(obj: Answer) -> dict | None:
        profile = getattr(obj.lawyer, "lawyer_profile", None)
        if profile is None:
            return None
        return {
            "id": obj.lawyer_id,
            "name": profile.real_name,
            "verified": profile.is_verified,
            "firm": profile.firm,
            "city": profile.city,
            "helped_count": profile.helped_count,
        }


class SupplementOut(Schema):
    id: int
    body: str
    created_at: datetime


class ViewerOut(Schema):
    """What the caller has done on the question (signed-in callers only)."""

    is_asker: bool
    following: bool
    same_question: bool
    voted_answer_ids: list[int] = Field(description="调用者投过“有帮助”的回答")
    can_answer: bool


class QuestionDetailOut(QuestionOut):
    detail: str
    province: str
    follower_count: int
    same_question_count: int
    supplements: list[SupplementOut]
    answers: list[AnswerOut] = Field(description="回答：已采纳的在前，然后按“有帮助”票数")
    viewer: ViewerOut | None = Field(None, description="调用者与这个问题的关系；未登录时为 null")

    @staticmethod
    def resolve_supplements(obj: Question) -> list:
        return list(obj.supplements.all())

    @staticmethod
    def resolve_answers(obj: Question) -> list:
        return list(obj.answers.all())


class FollowOut(Schema):
    """The caller's 关注 / 同问 on the question, and the question's counts after the change."""

    following: bool
    same_question: bool
    follower_count: int
    same_question_count: int


class SupplementIn(Schema):
    body: text_field(services.SUPPLEMENT_RULE)


AreaSlug = Literal[tuple(area.slug for area in AREAS)]  # type: ignore[valid-type]
Province = Literal[("", *PROVINCES)]  # type: ignore[valid-type]


class AskIn(Schema):
    title: text_field(services.TITLE_RULE)
    detail: text_field(services.DETAIL_RULE) = ""
    area: AreaSlug = Field(description="专业领域（见 GET /api/v1/questions 的 area 取值）")
    province: Province = Field("", description="所在省份（选填，便于匹配本地律师）；不填时用账户资料里的省份")
    anonymous: bool = Field(False, description="匿名提问：页面上显示为“匿名用户”")


class AnswerIn(Schema):
    body: text_field(services.ANSWER_RULE) = Field(
        description="回答正文，支持 Markdown；引用法条请写明法律名称和条号，如《民法典》第一千零八十七条"
    )


class Pages(PageNumberPagination):
    """Page-number pagination whose page number is bounded (a huge one is a 422, not an overflow)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)


class LatestIn(PageIn):
    area: AreaSlug | None = Field(None, description="只看这个专业领域")
    status: Literal["answered", "open"] | None = Field(
        None, description="answered 已解答（含已采纳）/ open 待解答"
    )


@router.get(
    "",
    **public(
        {200: list[QuestionOut]},
        summary="问题列表（页码分页，已弃用）",
        description=(
            "最新的公开问题，按提问时间倒序，用 page / page_size 翻页。**已弃用**：页码越大越慢，"
            "并且翻页期间有新问题时会重复或遗漏；请改用 GET /api/v1/questions/latest（游标分页）。"
            "本接口在 API v1 内保持可用。"
        ),
        deprecated=True,
    ),
)
@paginate(Pages, page_size=20)
def list_questions(request, area: AreaSlug | None = None):
    qs = queries.question_list().order_by("-created_at", "-id")
    if area:
        qs = qs.filter(category__slug=area)
    return qs


@router.get(
    "/latest",
    **public(
        {200: CursorPage[QuestionOut]},
        summary="最新问题（游标分页）",
        description=(
            "公开问题按提问时间倒序（同一时刻按编号倒序），可按专业领域和状态筛选。"
            "取下一页时把响应里的 next_cursor 作为 cursor 传回；next_cursor 为 null 表示已到末尾。"
        ),
    ),
)
def latest_questions(request, params: Query[LatestIn]):
    qs = queries.question_list()
    if params.area:
        qs = qs.filter(category__slug=params.area)
    if params.status:
        qs = qs.filter(status__in=queries.AREA_STATUS_FILTERS[params.status])
    return keyset_page(qs, cursor=params.cursor, limit=params.limit)


def _viewer(request, question: Question) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    follow = queries.viewer_follow(user, question.pk)
    answers = list(question.answers.all())
    return {
        "is_asker": user.pk == question.asker_id,
        "following": bool(follow and follow.notify),
        "same_question": bool(follow and follow.same_question),
        "voted_answer_ids": sorted(queries.voted_answer_ids(user, [a.pk for a in answers])),
        "can_answer": rules.can_answer(user, question) and all(a.lawyer_id != user.pk for a in answers),
    }


@router.get(
    "/{id:question_id}",
    **public(
        {200: QuestionDetailOut},
        404,
        summary="问题详情",
        description=(
            "问题、补充内容、全部公开回答（律师名片、评价、追问与回复）。"
            "登录后（令牌或会话）还能看到自己待审核的问题和回答，以及 viewer 中自己的关注、同问和投票。"
        ),
    ),
)
def get_question(request, question_id: int = QuestionId):
    try:
        question = queries.question_page(
            question_id, include_hidden=rules.can_moderate(request.user), viewer_id=request.user.pk
        )
    except Question.DoesNotExist:
        raise Http404("问题不存在或已被隐藏") from None
    question.viewer = _viewer(request, question)
    return question


@router.post(
    "",
    **write(
        {201: QuestionDetailOut},
        summary="提问",
        description=(
            "以调用者的身份发布问题（与网站提问页相同的规则）：标题5–50字，描述最多3000字；"
            "手机号、身份证号、银行卡号等个人信息会被自动遮盖后再公开。"
            "被反垃圾规则或新账户审核拦下的问题会先等待版主审核（held 为 true）。限频：每小时10个。"
        ),
    ),
)
def ask(request, payload: AskIn):
    check_rate(request, "ask")
    question = services.create_question(
        asker=request.user,
        title=payload.title,
        detail=payload.detail,
        category=payload.area,
        is_anonymous=payload.anonymous,
        province=payload.province,
    )
    # A question held for moderation is shown to its asker only (held: true).
    return Status(201, queries.question_page(question.pk, viewer_id=request.user.pk))


def _visible_question(question_id: int) -> Question:
    return get_object_or_404(Question.objects.select_related("category", "asker").visible(), pk=question_id)


@router.post(
    "/{id:question_id}/answers",
    **write(
        {201: AnswerOut},
        404,
        409,
        summary="回答问题（认证律师）",
        description=(
            "通过认证的执业律师回答问题，每位律师对同一问题只能回答一次（再次回答为 409）；"
            "已关闭的问题不能回答（409）。正文中的法条引用会被检查并链接，个人信息会被遮盖。"
            "含联系方式等的回答会先等待版主审核（held 为 true）。限频：每小时60条。"
        ),
    ),
)
def answer_question(request, payload: AnswerIn, question_id: int = QuestionId):
    question = _visible_question(question_id)
    check_rate(request, "answer")
    answer = services.post_answer(question=question, lawyer=request.user, body=payload.body)
    return Status(201, answer)


@router.post(
    "/{id:question_id}/close",
    **write(
        {200: QuestionOut},
        404,
        summary="关闭问题",
        description="提问人（或版主）关闭问题，关闭后不再接受新的回答、追问和补充。",
    ),
)
def close_question(request, question_id: int = QuestionId):
    question = _visible_question(question_id)
    return services.close_question(question=question, by=request.user)


def _follow_state(request, question: Question, **flags) -> FollowOut:
    check_rate(request, "follow")
    row = services.set_follow(question=question, user=request.user, **flags)
    question.refresh_from_db(fields=["follower_count", "same_question_count"])
    return FollowOut(
        following=bool(row and row.notify),
        same_question=bool(row and row.same_question),
        follower_count=question.follower_count,
        same_question_count=question.same_question_count,
    )


def _follow_op(summary: str, description: str) -> dict:
    return write({200: FollowOut}, 404, summary=summary, description=description)


@router.post(
    "/{id:question_id}/follow",
    **_follow_op(
        "关注问题",
        "关注后，问题有新的律师解答或补充时会通知调用者（站内通知，邮件按通知设置）。不能关注自己的问题。",
    ),
)
def follow(request, question_id: int = QuestionId):
    return _follow_state(request, _visible_question(question_id), notify=True)


@router.delete("/{id:question_id}/follow", **_follow_op("取消关注", "不再接收这个问题的更新。"))
def unfollow(request, question_id: int = QuestionId):
    return _follow_state(request, _visible_question(question_id), notify=False)


@router.post(
    "/{id:question_id}/same",
    **_follow_op(
        "同问",
        "表示调用者遇到了同样的问题：律师工作台按同问人数排序；同问也会关注这个问题。",
    ),
)
def same_question(request, question_id: int = QuestionId):
    return _follow_state(request, _visible_question(question_id), same_question=True)


@router.delete("/{id:question_id}/same", **_follow_op("取消同问", "撤回“同问”（关注保持不变）。"))
def not_same_question(request, question_id: int = QuestionId):
    return _follow_state(request, _visible_question(question_id), same_question=False)


@router.post(
    "/{id:question_id}/supplements",
    **write(
        {201: SupplementOut},
        404,
        409,
        summary="补充问题（提问人）",
        description=(
            "提问人在自己的问题下补充新情况（5–1000字，个人信息会被遮盖），回答过的律师和关注者会收到通知。"
            "每个问题最多补充10次；已关闭的问题不能补充（409）。"
        ),
    ),
)
def add_supplement(request, payload: SupplementIn, question_id: int = QuestionId):
    question = _visible_question(question_id)
    check_rate(request, "supplement")
    return Status(201, services.add_supplement(question=question, author=request.user, body=payload.body))
