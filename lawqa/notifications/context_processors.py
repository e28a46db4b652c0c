from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lawqa.notifications import queries


def unread(request: HttpRequest) -> dict:
    """`notifications_unread` for the header: the signed-in user's unread count (None when
    signed out). Lazy, so pages that do not show the header cost no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": None}
    return {"notifications_unread": SimpleLazyObject(lambda: queries.unread_count(user))}
