"""Notifications API: the caller's in-site notices (list, mark read) and how they reach them by
e-mail (通知设置). notifications.queries / services, as the inbox and settings pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from lawqa.common.converters import MAX_ID
from lawqa.common.ratelimit import check_rate
from lawqa.notifications import queries, services
from lawqa.notifications.models import Notification, NotificationSettings

from .ops import signed_in, write
from .pagination import CursorPage, PageIn, keyset_page

router = Router(tags=["通知"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(
        description="new_question 新问题待解答 / new_answer 问题有新回答 / followed_answer 关注的问题有新回答 / "
        "supplement 问题有补充 / rating 回答收到评价"
    )
    kind_label: str
    title: str
    url: str = Field(description="通知指向的网页地址（站内路径）")
    question_id: int | None
    created_at: datetime
    read_at: datetime | None = Field(description="已读时间；未读为 null")

    @staticmethod
    def resolve_kind_label(obj: Notification) -> str:
        return obj.get_kind_display()


class InboxIn(PageIn):
    unread: bool = Field(False, description="只看未读的通知")


class ReadAllOut(Schema):
    marked: int = Field(description="这次标为已读的通知条数")


EmailMode = Literal[tuple(NotificationSettings.EmailMode.values)]  # type: ignore[valid-type]


class SettingsOut(Schema):
    email_mode: str = Field(description="instant 即时邮件 / daily 每日摘要 / off 不发邮件（站内通知照常）")
    email_mode_label: str


class SettingsIn(Schema):
    email_mode: EmailMode = Field(description="instant 即时邮件 / daily 每日摘要 / off 不发邮件")


def _settings_out(mode: str) -> SettingsOut:
    return SettingsOut(email_mode=mode, email_mode_label=NotificationSettings.EmailMode(mode).label)


@router.get(
    "",
    **signed_in(
        {200: CursorPage[NotificationOut]},
        summary="我的通知",
        description="调用者的站内通知，最新的在前；unread=true 只看未读。",
    ),
)
def inbox(request, params: Query[InboxIn]):
    qs = queries.inbox(request.user)
    if params.unread:
        qs = qs.filter(read_at__isnull=True)
    return keyset_page(qs, cursor=params.cursor, limit=params.limit)


@router.post(
    "/{id:notification_id}/read",
    **write(
        {200: NotificationOut},
        404,
        summary="标为已读",
        description="把调用者的一条通知标为已读（已读的不变）。别人的通知为 404。",
    ),
)
def mark_read(request, notification_id: int = Path(..., ge=1, le=MAX_ID, description="通知编号")):
    note = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    check_rate(request, "notifications_read")
    return services.mark_read(notification=note, by=request.user)


@router.post(
    "/read-all",
    **write({200: ReadAllOut}, summary="全部标为已读", description="把调用者所有未读通知标为已读。"),
)
def mark_all_read(request):
    check_rate(request, "notifications_read")
    return {"marked": services.mark_all_read(user=request.user)}


@router.get(
    "/settings",
    **signed_in({200: SettingsOut}, summary="通知设置", description="调用者的通知邮件方式。"),
)
def get_settings(request):
    return _settings_out(queries.email_mode(request.user))


@router.put(
    "/settings",
    **write(
        {200: SettingsOut},
        summary="修改通知设置",
        description="选择通知邮件方式：即时邮件、每日摘要或不发邮件。站内通知不受影响。",
    ),
)
def set_settings(request, payload: SettingsIn):
    check_rate(request, "notification_settings")
    row = services.set_email_mode(user=request.user, mode=payload.email_mode)
    return _settings_out(row.email_mode)
