from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lawqa.common.ratelimit import check_rate
from lawqa.notifications import queries, services
from lawqa.notifications.forms import NotificationSettingsForm
from lawqa.notifications.models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.inbox(request.user), settings.LAWQA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "notifications": page.object_list})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(notification=note, by=request.user)
    target = note.url if url_has_allowed_host_and_scheme(note.url, allowed_hosts=None) else ""
    return redirect(target or "notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """通知设置: instant mail, a daily digest, or no mail (in-site notices always)."""
    form = NotificationSettingsForm(
        request.POST or None, initial={"email_mode": queries.email_mode(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        check_rate(request, "notification_settings")
        services.set_email_mode(user=request.user, mode=form.cleaned_data["email_mode"])
        messages.success(request, "通知设置已保存。")
        return redirect("notifications:settings")
    return render(
        request, "notifications/settings.html", {"form": form, "digest_hour": settings.LAWQA_DIGEST_HOUR}
    )


@csrf_exempt  # the signed token is the credential; mail clients POST here without a CSRF token (RFC 8058)
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from every notification e-mail, no login needed. GET shows the
    confirmation button (so a mail scanner following links changes nothing); POST — the button,
    or a mail client's RFC 8058 `List-Unsubscribe=One-Click` — unsubscribes."""
    user_id = services.user_id_from_token(token)
    if user_id is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        if services.unsubscribe(token=token) is None:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
