from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lawqa.common.ratelimit import check_rate

from . import queries, services
from .forms import DeleteAccountForm, MaskPreviewForm, PasswordResetRequestForm, PersonalInfoForm


def policy(request: HttpRequest) -> HttpResponse:
    context = {
        "retention": settings.LAWQA_RETENTION_DAYS,
        "contact": settings.LAWQA_PRIVACY_CONTACT,
        "updated": settings.LAWQA_PRIVACY_POLICY_DATE,
    }
    return render(request, "privacy/policy.html", context)


@login_required
@require_POST
def mask_preview(request: HttpRequest) -> HttpResponse:
    """htmx partial: what the masking will change in the ask / answer / follow-up text, and why."""
    form = MaskPreviewForm(request.POST)
    previews = services.masking_previews(form.cleaned_data) if form.is_valid() else []
    return render(request, "privacy/_mask_preview.html", {"mask_previews": previews})


@login_required
@never_cache
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PersonalInfoForm(
        request.POST or None,
        initial={"nickname": user.nickname, "email": user.email, "province": user.province},
    )
    if request.method == "POST" and form.is_valid():
        services.correct_personal_info(user=user, **form.cleaned_data)
        messages.success(request, "个人信息已更新。")
        return redirect("privacy:overview")
    export = queries.user_data_export(user)
    counts = {}
    for key, rows in export["records"].items():
        label, field_name = key.rsplit(".", 1)
        model = apps.get_model(label)
        field = model._meta.get_field(field_name)
        counts[f"{model._meta.verbose_name}（{field.verbose_name}）"] = len(rows)
    counts.update({"登录记录": sum(len(rows) for rows in export["login_records"].values())})
    return render(request, "privacy/overview.html", {"form": form, "counts": counts})


@login_required
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """Download everything stored about the signed-in user as one JSON file."""
    data = queries.user_data_export(request.user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="lawqa-my-data-{stamp}.json"'
    return response


@login_required
@never_cache
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        check_rate(request, "account_delete")
        if form.is_valid():
            services.delete_account(user=request.user)
            logout(request)
            messages.success(request, "您的账户已注销，个人信息已删除。感谢您使用法问。")
            return redirect("home")
    return render(request, "privacy/delete_account.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. Same page, same timing, whether or not the address has an account."""

    form_class = PasswordResetRequestForm
    template_name = "privacy/password_reset_form.html"
    success_url = reverse_lazy("privacy:password_reset_done")

    def post(self, request, *args, **kwargs):
        check_rate(request, "password_reset")
        return super().post(request, *args, **kwargs)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="privacy/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="privacy/password_reset_confirm.html",
    success_url=reverse_lazy("privacy:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="privacy/password_reset_complete.html"
)
