"""Reports API: 举报 a question, an answer or a follow-up (moderation.services.report_content, the
service behind the pages' 举报 button); the report waits in the moderators' queue."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from lawqa.common.converters import MAX_ID
from lawqa.common.ratelimit import check_rate
from lawqa.moderation import services
from lawqa.moderation.models import Report
from lawqa.questions.models import Answer, FollowUp, Question

from .fields import text_field
from .ops import write

router = Router(tags=["举报"])

# What can be reported, as the public sees it: visible rows on visible questions.
TARGETS = {
    "question": lambda: Question.objects.visible(),
    "answer": lambda: Answer.objects.filter(is_hidden=False, question__is_hidden=False),
    "followup": lambda: FollowUp.objects.filter(
        is_hidden=False, answer__is_hidden=False, answer__question__is_hidden=False
    ),
}


class ReportIn(Schema):
    target: Literal["question", "answer", "followup"] = Field(
        description="举报的对象：question 问题 / answer 回答 / followup 追问或律师回复"
    )
    id: int = Field(ge=1, le=MAX_ID, description="对象的编号")
    reason: Literal[tuple(Report.Reason.values)] = Field(  # type: ignore[valid-type]
        description="spam 广告或垃圾信息 / abuse 辱骂、人身攻击 / privacy 泄露个人信息 / "
        "wrong 内容明显错误或误导 / other 其他"
    )
    detail: text_field(services.REPORT_DETAIL_RULE) = Field("", description="补充说明（选填，最多300字）")


class ReportOut(Schema):
    id: int
    target: str
    target_id: int
    reason: str
    reason_label: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_target(obj: Report) -> str:
        return "question" if obj.question_id else "answer" if obj.answer_id else "followup"

    @staticmethod
    def resolve_target_id(obj: Report) -> int:
        return obj.question_id or obj.answer_id or obj.followup_id

    @staticmethod
    def resolve_reason_label(obj: Report) -> str:
        return obj.get_reason_display()


@router.post(
    "",
    **write(
        {201: ReportOut},
        404,
        409,
        summary="举报",
        description=(
            "举报违规的问题、回答或追问，版主会尽快处理。同一内容在处理前只能举报一次（再次举报为 409）。"
            "限频：每小时20次。"
        ),
    ),
)
def report(request, payload: ReportIn):
    target = get_object_or_404(TARGETS[payload.target](), pk=payload.id)
    check_rate(request, "report")
    created = services.report_content(
        reporter=request.user, target=target, reason=payload.reason, detail=payload.detail
    )
    return Status(201, created)
