from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lawqa.notifications import queries, services
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
