"""The caller's own account: who they are, 我的提问 / 我的关注 / 我的回答, and their API tokens
(list, revoke; tokens are created on the account page, where the secret is shown once)."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from lawqa.accounts import queries as account_queries
from lawqa.accounts import services as account_services
from lawqa.accounts.models import AccessToken
from lawqa.common.converters import MAX_ID
from lawqa.common.ratelimit import check_rate
from lawqa.lawyers import queries as lawyer_queries
from lawqa.notifications import queries as notification_queries
from lawqa.questions import queries as question_queries
from lawqa.questions.models import Answer, QuestionFollow

from .ops import signed_in, write
from .pagination import CursorPage, PageIn, keyset_page
from .questions import QuestionOut, RatingOut

router = Router(tags=["我的账户"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="令牌的开头几个字符，用于辨认（完整令牌只在创建时显示一次）")
    scope: str = Field(description="read 只读 / write 读写")
    created_at: datetime
    expires_at: datetime | None = Field(description="过期时间；null 表示在撤销前一直有效")
    last_used_at: datetime | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str = Field(description="asker 咨询用户 / lawyer 律师 / moderator 版主 / admin 管理员")
    role_label: str
    verified_lawyer: bool = Field(description="是否为通过认证的执业律师（可以回答问题）")
    unread_notifications: int
    token: TokenOut | None = Field(description="本次请求使用的令牌；用网站会话调用时为 null")


class FollowedOut(Schema):
    question: QuestionOut
    following: bool = Field(description="关注（有新回答和补充时通知我）")
    same_question: bool = Field(description="同问")
    followed_at: datetime

    @staticmethod
    def resolve_following(obj: QuestionFollow) -> bool:
        return obj.notify

    @staticmethod
    def resolve_followed_at(obj: QuestionFollow) -> datetime:
        return obj.created_at


class MyAnswerOut(Schema):
    id: int
    question: QuestionOut
    is_accepted: bool
    helpful_count: int
    held: bool
    hidden: bool = Field(description="被版主隐藏（或正等待审核）")
    created_at: datetime
    edited_at: datetime | None
    rating: RatingOut | None
    url: str

    @staticmethod
    def resolve_held(obj: Answer) -> bool:
        return obj.is_held

    @staticmethod
    def resolve_hidden(obj: Answer) -> bool:
        return obj.is_hidden

    @staticmethod
    def resolve_rating(obj: Answer):
        return getattr(obj, "rating", None)

    @staticmethod
    def resolve_url(obj: Answer) -> str:
        return obj.get_absolute_url()


@router.get(
    "",
    **signed_in(
        {200: MeOut},
        summary="当前用户",
        description="调用者是谁：用户名、角色、是否为认证律师、未读通知数，以及本次请求所用的令牌。",
    ),
)
def me(request):
    user = request.user
    profile = getattr(user, "lawyer_profile", None)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "verified_lawyer": bool(profile and profile.is_verified),
        "unread_notifications": notification_queries.unread_count(user),
        "token": getattr(request, "api_token", None),
    }


@router.get(
    "/questions",
    **signed_in(
        {200: CursorPage[QuestionOut]},
        summary="我的提问",
        description="调用者提过的全部问题（含匿名、待审核和被隐藏的），最新的在前。",
    ),
)
def my_questions(request, params: Query[PageIn]):
    qs = question_queries.my_questions(request.user).select_related("asker")
    return keyset_page(qs, cursor=params.cursor, limit=params.limit)


@router.get(
    "/following",
    **signed_in(
        {200: CursorPage[FollowedOut]},
        summary="我的关注",
        description="调用者关注或同问的公开问题，最近关注的在前。",
    ),
)
def my_follows(request, params: Query[PageIn]):
    qs = question_queries.my_follows(request.user).select_related("question__asker")
    return keyset_page(qs, cursor=params.cursor, limit=params.limit)


@router.get(
    "/answers",
    **signed_in(
        {200: CursorPage[MyAnswerOut]},
        summary="我的回答（律师）",
        description="调用者发布过的回答（含待审核和被隐藏的）及其问题、是否被采纳和评价，最新的在前。",
    ),
)
def my_answers(request, params: Query[PageIn]):
    qs = lawyer_queries.lawyer_answers(request.user).select_related("question__asker")
    return keyset_page(qs, cursor=params.cursor, limit=params.limit)


@router.get(
    "/tokens",
    **signed_in(
        {200: list[TokenOut]},
        summary="我的 API 令牌",
        description="调用者未撤销的令牌（含已过期的），最新的在前。令牌本身只在创建时显示一次，这里只有前缀。",
    ),
)
def my_tokens(request):
    return list(account_queries.user_tokens(request.user))


@router.delete(
    "/tokens/{id:token_id}",
    **write(
        {200: TokenOut},
        404,
        summary="撤销令牌",
        description=(
            "撤销调用者的一个令牌（也可以是本次请求所用的令牌）：此后用它的请求都会得到 401。"
            "令牌只能在“我的账户”页面创建。"
        ),
    ),
)
def revoke_token(request, token_id: int = Path(..., ge=1, le=MAX_ID, description="令牌编号")):
    token = get_object_or_404(AccessToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    check_rate(request, "token_revoke")
    return account_services.revoke_access_token(token=token, by=request.user)
