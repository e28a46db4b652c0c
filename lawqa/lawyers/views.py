from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lawqa.common.pagination import paginate
from lawqa.questions import queries as question_queries

from . import queries, rules, services
from .forms import DirectoryFilterForm, LawyerApplicationForm
from .models import LawyerProfile


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lawyers = queries.verified_lawyers(
        province=filters.get("province", ""),
        city=(filters.get("city") or "").strip(),
        area=filters.get("area"),
    )
    page = paginate(lawyers, request.GET.get("page"), settings.LAWQA_PAGE_SIZE)
    filter_query = request.GET.copy()
    filter_query.pop("page", None)
    return render(
        request,
        "lawyers/directory.html",
        {"form": form, "page": page, "extra_query": filter_query.urlencode()},
    )


def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        lawyer = queries.profile_page(user_id)
    except LawyerProfile.DoesNotExist:
        raise Http404("该律师不存在或尚未通过认证") from None
    page = paginate(
        question_queries.lawyer_answered_questions(user_id), request.GET.get("page"), settings.LAWQA_PAGE_SIZE
    )
    return render(request, "lawyers/profile.html", {"lawyer": lawyer, "page": page})


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
