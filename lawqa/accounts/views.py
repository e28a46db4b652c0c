from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lawqa.common.links import safe_next_url
from lawqa.common.ratelimit import check_rate
from lawqa.questions import drafts
from lawqa.questions import queries as question_queries

from . import queries, services
from .forms import AccessTokenForm, RegisterForm
from .models import AccessToken


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        check_rate(request, "register")
        if form.is_valid():
            user = services.register_user(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                nickname=form.cleaned_data.get("nickname", ""),
                email=form.cleaned_data.get("email", ""),
                province=form.cleaned_data.get("province", ""),
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功，欢迎来到法问。")
            question = drafts.publish_pending_draft(request)
            if question is not None:
                return redirect(question)
            return redirect(safe_next_url(request, "home"))
    return render(
        request, "accounts/register.html", {"form": form, "ask_draft": drafts.pending_draft(request)}
    )


class LoginView(auth_views.LoginView):
    """Django's login, plus: a question the visitor wrote before logging in is published now."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        question = drafts.publish_pending_draft(self.request)
        return redirect(question) if question is not None else response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "ask_draft": drafts.pending_draft(self.request)}


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, token_form=AccessTokenForm())


def _account_page(request: HttpRequest, *, token_form: AccessTokenForm, new_token=None, status: int = 200):
    questions = question_queries.user_questions(request.user, include_anonymous=True)[:50]
    context = {
        "questions": questions,
        "tokens": list(queries.user_tokens(request.user)),
        "token_form": token_form,
        "new_token": new_token,
        "now": timezone.now(),
    }
    return render(request, "accounts/account.html", context, status=status)


@never_cache  # the page shows the new token's secret: no cache may keep it
@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    """创建 API 令牌: the account page again, with the secret shown this once."""
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        check_rate(request, "token_create")
        try:
            created = services.create_access_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _account_page(request, token_form=AccessTokenForm(), new_token=created)
    return _account_page(request, token_form=form, status=400)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销 API 令牌: every later request with it is refused (401)."""
    token = get_object_or_404(AccessToken, pk=pk, user=request.user, revoked_at__isnull=True)
    check_rate(request, "token_revoke")
    services.revoke_access_token(token=token, by=request.user)
    messages.success(request, f"令牌“{token.name}”已撤销，使用它的程序将无法再访问。")
    return redirect(f"{reverse('accounts:account')}#api-tokens")
