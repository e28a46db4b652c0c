from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lawqa.common.ratelimit import check_rate
from lawqa.questions import queries as question_queries

from . import services
from .forms import RegisterForm


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
            return redirect(request.GET.get("next") or "home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    questions = question_queries.user_questions(request.user, include_anonymous=True)[:50]
    return render(request, "accounts/account.html", {"questions": questions})
