from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from lawqa.common.pagination import paginate
from lawqa.common.ratelimit import check_rate
from lawqa.legalai import queries as legalai_queries
from lawqa.questions import queries as question_queries
from lawqa.questions.models import Question

from . import drafting, queries, rules, services
from .forms import DirectoryFilterForm, LawyerApplicationForm, WorkspaceFilterForm
from .models import LawyerProfile
from .ranking import RANKING_RULE


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lawyers = queries.verified_lawyers(
        province=filters.get("province", ""),
        city=(filters.get("city") or "").strip(),
        area=filters.get("area"),
        sort=filters.get("sort", ""),
    )
    page = paginate(lawyers, request.GET.get("page"), settings.LAWQA_PAGE_SIZE)
    filter_query = request.GET.copy()
    filter_query.pop("page", None)
    return render(
        request,
        "lawyers/directory.html",
        {
            "form": form,
            "page": page,
            "extra_query": filter_query.urlencode(),
            "ranking_rule": RANKING_RULE if filters.get("sort") == "rank" else "",
        },
    )


def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    """A lawyer's public page: practice record (answers, 采纳率, median answer time, ratings —
    columns kept by refresh_lawyer_stats), areas, city, the latest ratings and the answered
    questions; a fixed number of queries."""
    try:
        lawyer = queries.profile_page(user_id)
    except LawyerProfile.DoesNotExist:
        raise Http404("该律师不存在或尚未通过认证") from None
    page = paginate(
        question_queries.lawyer_answered_questions(user_id), request.GET.get("page"), settings.LAWQA_PAGE_SIZE
    )
    context = {
        "lawyer": lawyer,
        "page": page,
        "ratings": question_queries.lawyer_recent_ratings(user_id) if lawyer.rating_count else [],
        "ranking_rule": RANKING_RULE,
    }
    return render(request, "lawyers/profile.html", context)


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """律师工作台 (replaces the plain 待解答 list): questions routed to me and open ones in my areas
    and province, filtered and sorted by waiting time, 同问 or followers, with how many followers
    wait; and (tab=answered) what I answered and whether it was accepted."""
    if not rules.can_use_workspace(request.user):
        raise PermissionDenied("只有通过认证的执业律师可以使用律师工作台")
    lawyer = request.user
    profile_row = lawyer.lawyer_profile
    areas = list(profile_row.areas.order_by("order", "id"))
    tab = "answered" if request.GET.get("tab") == "answered" else "waiting"
    form = WorkspaceFilterForm(request.GET or None, areas=areas)
    filters = form.cleaned_data if form.is_valid() else {}
    context: dict = {"tab": tab, "form": form, "profile": profile_row, "areas": areas}
    if tab == "answered":
        context["page"] = paginate(
            queries.lawyer_answers(lawyer), request.GET.get("page"), settings.LAWQA_PAGE_SIZE
        )
    else:
        questions = queries.workspace_questions(
            lawyer,
            area_ids=[a.pk for a in areas],
            province=profile_row.province,
            scope=filters.get("scope") or "all",
            area_id=filters.get("area"),
            status=filters.get("status") or "",
            sort=filters.get("sort") or "waiting",
        )
        context["page"] = paginate(questions, request.GET.get("page"), settings.LAWQA_PAGE_SIZE)
        context["followers_waiting"] = queries.followers_waiting(questions)
        muted = legalai_queries.muted_area_ids(lawyer)
        for a in areas:
            a.is_muted = a.pk in muted
    query = request.GET.copy()
    query.pop("page", None)
    context["extra_query"] = query.urlencode()
    return render(request, "lawyers/workspace.html", context)


@login_required
def draft_help(request: HttpRequest, question_id: int) -> HttpResponse:
    """htmx panel of the answer form (写作助手): the question's suggested articles with a button
    that inserts the citation, and my own earlier answers to similar questions to reuse."""
    if not rules.can_use_workspace(request.user):
        raise PermissionDenied("只有通过认证的执业律师可以使用写作助手")
    question = get_object_or_404(Question.objects.visible(), pk=question_id)
    check_rate(request, "draft_help")
    similar, method = drafting.similar_own_answers(question, request.user)
    context = {"citations": drafting.suggested_citations(question), "similar": similar, "method": method}
    return render(request, "lawyers/_draft_help.html", context)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    existing = getattr(request.user, "lawyer_profile", None)
    if not rules.can_apply(request.user):
        return render(request, "lawyers/application_status.html", {"profile": existing})
    form = LawyerApplicationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.apply_as_lawyer(
                user=request.user,
                real_name=data["real_name"],
                license_no=data["license_no"],
                firm=data["firm"],
                province=data["province"],
                city=data["city"],
                areas=data["areas"],
                bio=data.get("bio", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "申请已提交，管理员审核通过后您就可以回答问题了。")
            return redirect("lawyers:apply")
    return render(request, "lawyers/apply.html", {"form": form, "previous": existing})
