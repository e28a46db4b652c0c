from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from lawqa.common.pagination import paginate
from lawqa.common.ratelimit import check_rate
from lawqa.moderation import queries as moderation_queries
from lawqa.moderation.models import Report
from lawqa.privacy import services as privacy_services
from lawqa.search import queries as search_queries

from . import drafts, queries, rules, services
from .forms import AnswerForm, AskForm, FollowUpForm, RatingForm, RatingReplyForm, SupplementForm
from .models import Answer, AnswerRating, Category, Question


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
        queries.area_questions(category, status),
        request.GET.get("page"),
        settings.LAWQA_PAGE_SIZE,
        count=queries.area_question_count(category, status),
    )
    return render(request, "questions/area.html", {"category": category, "page": page, "status": status})


def detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    moderator = rules.can_moderate(request.user)
    try:
        question = queries.question_page(pk, include_hidden=moderator, viewer_id=request.user.pk)
    except Question.DoesNotExist:
        raise Http404("问题不存在或已被隐藏") from None
    if slug != question.slug:  # an old title or a mistyped slug: one URL per question
        return redirect(question, permanent=True)
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
        # 类似问题的律师解答 while nobody has answered (stored in the background; one query).
        "waiting_help": [] if answers else search_queries.waiting_help(question),
        "latest": queries.latest_questions(limit=20, exclude_id=question.pk),
        "can_moderate": moderator,
        "report_reasons": Report.Reason.choices,
        **_asker_features(request, question, answers, is_asker),
    }
    return render(request, "questions/detail.html", context)


def _asker_features(request: HttpRequest, question: Question, answers: list[Answer], is_asker: bool) -> dict:
    """关注 / 同问 state, 补充问题 and 评价 forms of the question page (one query: the viewer's follow)."""
    user = request.user
    for a in answers:
        a.can_rate = is_asker and not a.is_hidden and not hasattr(a, "rating")
        a.can_reply_rating = (
            user.is_authenticated and user.pk == a.lawyer_id and hasattr(a, "rating") and not a.rating.reply
        )
    return {
        "follow": queries.viewer_follow(user, question.pk),
        "can_follow": rules.can_follow(user, question),
        "can_supplement": rules.can_supplement(user, question),
        "supplement_form": SupplementForm(),
        "rating_form": RatingForm(),
        "rating_reply_form": RatingReplyForm(),
        "rating_scores": AnswerRating.Score.choices,
    }


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


def ask(request: HttpRequest) -> HttpResponse:
    """The ask form, for everyone: a visitor's checked question is kept in their session and
    published once they register or log in (questions.drafts)."""
    signed_in = request.user.is_authenticated
    draft = drafts.pending_draft(request)
    initial = {"province": request.user.province if signed_in else ""}
    if draft is not None and request.method != "POST":
        initial = {key: draft.get(key) for key in ("title", "detail", "category", "province", "is_anonymous")}
    form = AskForm(request.POST or None, initial=initial)
    context = {"form": form, "draft": draft, "signed_in": signed_in}
    if request.method == "POST" and form.is_valid():
        findings = _masking_preview(request, form, ("title", "detail"))
        if findings:
            return render(request, "questions/ask.html", {**context, "masking_findings": findings})
        check_rate(request, "ask")
        if not signed_in:
            drafts.save_draft(request, form.cleaned_data)
            messages.info(request, "您的问题已保存。注册或登录后会自动发布，填写的内容不会丢失。")
            return redirect(f"{reverse('accounts:register')}?{urlencode({'next': reverse('questions:ask')})}")
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
            drafts.discard_draft(request)
            notice = moderation_queries.held_notice(question) or "问题已发布，律师会尽快为您解答。"
            messages.success(request, notice, extra_tags=drafts.PUBLISHED_TAG)
            return redirect(question)
    return render(request, "questions/ask.html", context)


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
            messages.success(request, moderation_queries.held_notice(new) or "回答已发布。")
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
    score = request.POST.get("score", "")
    if score:
        check_rate(request, "rate")
    try:
        services.accept_answer(
            answer=target, by=request.user, score=score, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "已采纳并评价该回答，感谢您的反馈。" if score else "已采纳该回答，感谢您的反馈。"
        )
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


def detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """/questions/<id>/ redirects (301) to the canonical /questions/<id>-<slug>/."""
    try:
        question = queries.question_for_redirect(
            pk, include_hidden=rules.can_moderate(request.user), viewer_id=request.user.pk
        )
    except Question.DoesNotExist:
        raise Http404("问题不存在或已被隐藏") from None
    return redirect(question, permanent=True)


def detail_with_slug(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """/questions/<id>/<anything>/, an older form of the address: 301 to the canonical URL."""
    return detail_by_id(request, pk)


# --- 关注 / 同问, 补充问题, 评价, 我的提问 / 我的关注 ------------------------------------------------

FOLLOW_ACTIONS = {
    "follow": ({"notify": True}, "已关注。有新的律师解答或补充时，我们会通知您。"),
    "unfollow": ({"notify": False}, "已取消关注，不再接收这个问题的更新。"),
    "same": (
        {"same_question": True},
        "已记录“同问”，律师会优先看到更多人关心的问题。有新解答时我们会通知您。",
    ),
    "unsame": ({"same_question": False}, "已取消同问。"),
}


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """关注 / 取消关注 / 同问 / 取消同问 (htmx swaps the buttons; without JavaScript, a redirect)."""
    question = _question_or_404(pk)
    action = request.POST.get("action", "")
    if action not in FOLLOW_ACTIONS:
        return HttpResponse("未知操作", status=400)
    flags, message = FOLLOW_ACTIONS[action]
    check_rate(request, "follow")
    row = services.set_follow(question=question, user=request.user, **flags)
    if request.htmx:
        question.refresh_from_db(fields=["follower_count", "same_question_count"])
        context = {"question": question, "follow": row, "can_follow": True, "follow_message": message}
        return render(request, "questions/_follow_buttons.html", context)
    messages.success(request, message)
    return redirect(question)


@login_required
@require_POST
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    """补充问题 by the asker; like every public text, shows what masking changes before it posts."""
    question = _question_or_404(pk)
    if not rules.can_supplement(request.user, question) and request.user.pk != question.asker_id:
        raise PermissionDenied("只有提问人可以补充问题")
    form = SupplementForm(request.POST)
    if form.is_valid():
        findings = _masking_preview(request, form, ("body",))
        if findings:
            context = {"question": question, "supplement_form": form, "masking_findings": findings}
            return render(request, "questions/supplement_form_page.html", context)
        check_rate(request, "supplement")
        try:
            new = services.add_supplement(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "补充内容已发布，回答过的律师和关注者会收到通知。")
            return redirect(new)
    return render(
        request,
        "questions/supplement_form_page.html",
        {"question": question, "supplement_form": form},
        status=400,
    )


@login_required
@require_POST
def rate(request: HttpRequest, answer_id: int) -> HttpResponse:
    """评价 an answer (the asker), also after accepting it."""
    target = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id, is_hidden=False)
    if not rules.can_rate(request.user, target):
        raise PermissionDenied("只有提问人可以评价回答")
    form = RatingForm(request.POST)
    if form.is_valid():
        check_rate(request, "rate")
        try:
            services.rate_answer(
                answer=target,
                by=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "评价已提交，感谢您的反馈。")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(target)


@login_required
@require_POST
def rating_reply(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The lawyer's one reply to the asker's 评价."""
    target = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id, is_hidden=False)
    if not rules.can_reply_to_rating(request.user, target):
        raise PermissionDenied("只有回答该问题的律师可以回复评价")
    form = RatingReplyForm(request.POST)
    if form.is_valid():
        check_rate(request, "rating_reply")
        try:
            services.reply_to_rating(answer=target, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "回复已发布。")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(target)


@login_required
def my_questions(request: HttpRequest) -> HttpResponse:
    """我的提问."""
    page = paginate(queries.my_questions(request.user), request.GET.get("page"), settings.LAWQA_PAGE_SIZE)
    return render(request, "questions/my_questions.html", {"page": page})


@login_required
def my_follows(request: HttpRequest) -> HttpResponse:
    """我的关注: questions followed or 同问."""
    page = paginate(queries.my_follows(request.user), request.GET.get("page"), settings.LAWQA_PAGE_SIZE)
    return render(request, "questions/my_follows.html", {"page": page})


# --- Editing an answer, and its public revision history -----------------------------------------


@login_required
def edit_answer(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The lawyer's edit form for their own answer, with the same drafting help as answering."""
    target = get_object_or_404(Answer.objects.select_related("question__category"), pk=answer_id)
    if not rules.can_edit_answer(request.user, target):
        raise PermissionDenied("只能修改自己发布的、未被隐藏的回答")
    form = AnswerForm(request.POST or None, initial={"body": target.body})
    context = {"question": target.question, "answer": target, "answer_form": form}
    if request.method == "POST" and form.is_valid():
        findings = _masking_preview(request, form, ("body",))
        if findings:
            return render(request, "questions/answer_edit.html", {**context, "masking_findings": findings})
        check_rate(request, "answer_edit")
        try:
            edited = services.edit_answer(answer=target, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, moderation_queries.held_notice(edited) or "回答已修改，修改记录对所有人公开。"
            )
            return redirect(edited)
    return render(request, "questions/answer_edit.html", context, status=400 if form.errors else 200)


def answer_history(request: HttpRequest, answer_id: int) -> HttpResponse:
    """修改记录: every version of an answer, newest first, each with what changed from the one
    before (escaped inline diff). Public for a visible answer; a fixed number of queries."""
    answer = get_object_or_404(
        Answer.objects.select_related("question__category", "lawyer__lawyer_profile"), pk=answer_id
    )
    own_held = answer.is_held and request.user.pk == answer.lawyer_id
    if (answer.is_hidden or answer.question.is_hidden) and not (own_held or rules.can_moderate(request.user)):
        raise Http404("回答不存在或已被隐藏")
    page = paginate(queries.answer_revisions(answer), request.GET.get("page"), 10)
    versions = queries.revision_diffs(answer, list(page.object_list))
    return render(
        request,
        "questions/answer_history.html",
        {"answer": answer, "question": answer.question, "page": page, "versions": versions},
    )
