from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lawqa.common.pagination import paginate
from lawqa.common.ratelimit import check_rate
from lawqa.moderation.models import Report
from lawqa.privacy import services as privacy_services
from lawqa.search import queries as search_queries

from . import queries, rules, services
from .forms import AnswerForm, AskForm, FollowUpForm
from .models import Answer, Category, Question


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "questions/home.html",
        {
            "areas": queries.areas_with_counts(),
            "latest": queries.latest_questions(limit=15),
            "unanswered": queries.unanswered_questions(limit=10),
        },
    )


def area(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    status = request.GET.get("status") if request.GET.get("status") in ("answered", "open") else ""
    page = paginate(
        queries.area_questions(category, status), request.GET.get("page"), settings.LAWQA_PAGE_SIZE
    )
    return render(request, "questions/area.html", {"category": category, "page": page, "status": status})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    moderator = rules.can_moderate(request.user)
    try:
        question = queries.question_page(pk, include_hidden=moderator)
    except Question.DoesNotExist:
        raise Http404("问题不存在或已被隐藏") from None
    services.record_view(question_id=question.pk)
    question.view_count += 1
    answers = list(question.answers.all())
    is_asker = request.user.is_authenticated and request.user.pk == question.asker_id
    voted = queries.voted_answer_ids(request.user, [a.pk for a in answers])
    for a in answers:
        a.user_voted = a.pk in voted
    context = {
        "question": question,
        "answers": answers,
        "is_asker": is_asker,
        "can_answer": rules.can_answer(request.user, question),
        "already_answered": any(a.lawyer_id == request.user.pk for a in answers),
        "answer_form": AnswerForm(),
        "followup_form": FollowUpForm(),
        "related": search_queries.related_questions(question, limit=10),
        "latest": queries.latest_questions(limit=20, exclude_id=question.pk),
        "can_moderate": moderator,
        "report_reasons": Report.Reason.choices,
    }
    return render(request, "questions/detail.html", context)


def _masking_preview(request: HttpRequest, form, fields: tuple[str, ...]) -> list | None:
    """If the submitted text holds personal data and the author has not yet seen the masked
    version, put the masked text back into the form and return the findings to show; the author
    can edit and submit again. Returns None when there is nothing (more) to show."""
    findings = []
    masked = {}
    for name in fields:
        result = privacy_services.mask_public_text(form.cleaned_data.get(name, ""))
        findings.extend(result.findings)
        masked[name] = result.text
    if not findings or request.POST.get("masking_seen") == "1":
        return None
    data = request.POST.copy()
    data.update(masked)
    data["masking_seen"] = "1"
    form.data = data
    return findings


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None, initial={"province": request.user.province})
    if request.method == "POST" and form.is_valid():
        findings = _masking_preview(request, form, ("title", "detail"))
        if findings:
            return render(request, "questions/ask.html", {"form": form, "masking_findings": findings})
        check_rate(request, "ask")
        try:
            question = services.create_question(
                asker=request.user,
                title=form.cleaned_data["title"],
                detail=form.cleaned_data["detail"],
                category=form.cleaned_data["category"],
                is_anonymous=form.cleaned_data["is_anonymous"],
                province=form.cleaned_data["province"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "问题已发布，律师会尽快为您解答。")
            return redirect(question)
    return render(request, "questions/ask.html", {"form": form})


def _question_or_404(pk: int) -> Question:
    return get_object_or_404(Question.objects.select_related("category", "asker"), pk=pk, is_hidden=False)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(pk)
    form = AnswerForm(request.POST)
    if form.is_valid() and rules.can_answer(request.user, question):
        findings = _masking_preview(request, form, ("body",))
        if findings:
            context = {"question": question, "answer_form": form, "masking_findings": findings}
            return render(request, "questions/answer_form_page.html", context)
        check_rate(request, "answer")
        try:
            new = services.post_answer(question=question, lawyer=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "回答已发布。")
            return redirect(new)
    if not rules.can_answer(request.user, question):
        if question.status == Question.Status.CLOSED:
            messages.error(request, "该问题已关闭，不能再回答。")
            return redirect(question)
        raise PermissionDenied("只有通过认证的执业律师才能回答问题")
    return render(
        request, "questions/answer_form_page.html", {"question": question, "answer_form": form}, status=400
    )


@login_required
@require_POST
def followup(request: HttpRequest, answer_id: int) -> HttpResponse:
    target = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id, is_hidden=False)
    form = FollowUpForm(request.POST)
    if not rules.can_follow_up(request.user, target):
        raise PermissionDenied("只有提问人可以追问，只有回答的律师可以回复")
    if form.is_valid():
        findings = _masking_preview(request, form, ("body",))
        if findings:
            context = {
                "question": target.question,
                "target": target,
                "followup_form": form,
                "masking_findings": findings,
                "is_asker": request.user.pk == target.question.asker_id,
            }
            return render(request, "questions/followup_form_page.html", context)
        check_rate(request, "followup")
        try:
            services.add_followup(answer=target, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "已发送。")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(target)


@login_required
@require_POST
def accept(request: HttpRequest, answer_id: int) -> HttpResponse:
    target = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    try:
        services.accept_answer(answer=target, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "已采纳该回答，感谢您的反馈。")
    return redirect(target)


@login_required
@require_POST
def vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    target = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id, is_hidden=False)
    check_rate(request, "vote")
    target = services.vote_helpful(answer=target, user=request.user)
    voted = target.votes.filter(user=request.user).exists()
    if request.htmx:
        return render(request, "questions/_vote_button.html", {"answer": target, "voted": voted})
    return redirect(target)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(pk)
    services.close_question(question=question, by=request.user)
    messages.success(request, "问题已关闭，不再接受新的回答。")
    return redirect(question)


def detail_with_slug(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """/questions/<id>/<anything>/ is the same page; the id alone is the canonical URL."""
    return redirect("questions:detail", pk=pk, permanent=True)
