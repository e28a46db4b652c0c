from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lawqa.common.ratelimit import check_rate
from lawqa.legalai import rules, services

#: Below this many characters of question text the assist panel stays empty.
ASSIST_MIN_CHARS = 8


@require_POST
def ask_assist(request: HttpRequest) -> HttpResponse:
    """htmx panel under the ask form: predicted practice area (preselected when the asker has not
    chosen one) and 可能相关的法律规定 for the text typed so far."""
    from lawqa.questions.forms import AskForm

    text = f"{request.POST.get('title', '')}\n{request.POST.get('detail', '')}".strip()[:3000]
    context: dict = {"area": None, "suggestions": [], "category_widget": ""}
    if len(text) >= ASSIST_MIN_CHARS:
        check_rate(request, "ask_assist")  # only the requests that rank
        try:
            area, confidence = services.predict_area(text)
        except services.ModelNotReady:
            area, confidence = None, 0.0
        if area:
            from lawqa.common.areas import AREA_BY_NAME

            context["area"] = AREA_BY_NAME.get(area)
            context["confidence"] = confidence
            if not request.POST.get("category") and context["area"]:
                form = AskForm(initial={"category": context["area"].slug})
                context["category_widget"] = form["category"].as_widget(attrs={"hx-swap-oob": "true"})
        context["suggestions"] = services.linked_suggestions(text, 5)
    return render(request, "legalai/_ask_assist.html", context)


def pending(request: HttpRequest) -> HttpResponse:
    """The old 待解答 list is now the 律师工作台 (lawyers:workspace); old links and bookmarks follow."""
    return redirect("lawyers:workspace", permanent=True)


@login_required
@require_POST
def mute_areas(request: HttpRequest) -> HttpResponse:
    if not rules.can_see_pending(request.user):
        raise PermissionDenied("只有通过认证的执业律师可以设置免打扰")
    ids = [int(x) for x in request.POST.getlist("muted") if x.isdigit()]
    services.set_muted_areas(lawyer=request.user, category_ids=ids)
    messages.success(request, "已保存：免打扰领域的新问题不再通知您，仍会出现在律师工作台中。")
    return redirect("lawyers:workspace")
