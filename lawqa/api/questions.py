"""Questions API: list, read, ask. Reads are public; asking needs a signed-in session (CSRF checked)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from lawqa.common.ratelimit import check_rate
from lawqa.questions import queries, services
from lawqa.questions.models import Question

router = Router(tags=["questions"])


class AreaOut(Schema):
    name: str
    slug: str


class QuestionOut(Schema):
    id: int
    title: str
    area: AreaOut
    status: str
    status_label: str
    asker: str
    answer_count: int
    view_count: int
    created_at: datetime
    url: str

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
    name: str
    verified: bool
    firm: str
    city: str
    helped_count: int


class AnswerOut(Schema):
    id: int
    lawyer: LawyerOut | None
    body_html: str
    helpful_count: int
    is_accepted: bool
    created_at: datetime

    @staticmethod
    def resolve_lawyer(obj) -> dict | None:
        profile = getattr(obj.lawyer, "lawyer_profile", None)
        if profile is None:
            return None
        return {
            "name": profile.real_name,
            "verified": profile.is_verified,
            "firm": profile.firm,
            "city": profile.city,
            "helped_count": profile.helped_count,
        }


class QuestionDetailOut(QuestionOut):
    detail: str
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Question) -> list:
        return list(obj.answers.all())


class AskIn(Schema):
    title: str
    detail: str = ""
    area: str
    anonymous: bool = False


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


@router.get("", response=list[QuestionOut])
@paginate(PageNumberPagination, page_size=20)
def list_questions(request, area: str | None = None):
    qs = queries.question_list().order_by("-created_at", "-id")
    if area:
        qs = qs.filter(category__slug=area)
    return qs


@router.get("/{int:question_id}", response=QuestionDetailOut)
def get_question(request, question_id: int):
    try:
        return queries.question_page(question_id)
    except Question.DoesNotExist:
        raise HttpError(404, "问题不存在或已被隐藏") from None


@router.post("", response={201: QuestionDetailOut, 400: ErrorOut, 403: ErrorOut}, auth=django_auth)
def ask(request, payload: AskIn):
    check_rate(request, "ask")
    try:
        question = services.create_question(
            asker=request.auth,
            title=payload.title,
            detail=payload.detail,
            category=payload.area,
            is_anonymous=payload.anonymous,
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return Status(400, {"detail": "提交的内容有误，请按提示修改", "errors": errors})
    except PermissionDenied as error:
        return Status(403, {"detail": str(error) or "没有权限", "errors": {}})
    return Status(201, queries.question_page(question.pk))
