from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from lawqa.common.ratelimit import check_rate
from lawqa.questions.models import Answer, FollowUp, Question, QuestionSupplement

from . import services

TARGETS = {"question": Question, "answer": Answer, "followup": FollowUp}
# Moderators can also hide what is reported through its question.
HIDEABLE = {**TARGETS, "supplement": QuestionSupplement}


def _target(kind: str, pk: int, targets: dict = TARGETS):
    model = targets.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


def _back(target) -> str:
    if isinstance(target, FollowUp):
        return target.answer.get_absolute_url()
    return target.get_absolute_url()


@login_required
@require_POST
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(kind, pk)
    check_rate(request, "report")
    try:
        services.report_content(
            reporter=request.user,
            target=target,
            reason=request.POST.get("reason", ""),
            detail=request.POST.get("detail", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "感谢举报，版主会尽快处理。")
    return redirect(_back(target))


@login_required
@require_POST
def set_hidden(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(kind, pk, HIDEABLE)
    hidden = request.POST.get("hidden") == "1"
    note = request.POST.get("note", "")
    if isinstance(target, Question):
        services.set_question_hidden(question=target, hidden=hidden, by=request.user, note=note)
    elif isinstance(target, Answer):
        services.set_answer_hidden(answer=target, hidden=hidden, by=request.user, note=note)
    elif isinstance(target, QuestionSupplement):
        services.set_supplement_hidden(supplement=target, hidden=hidden, by=request.user, note=note)
    else:
        services.set_followup_hidden(followup=target, hidden=hidden, by=request.user, note=note)
    messages.success(request, "已隐藏。" if hidden else "已恢复显示。")
    return redirect(_back(target))
