from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Site name and the signed-in user's lawyer profile, for the header of every page."""
    user = getattr(request, "user", None)
    profile = None
    if user is not None and user.is_authenticated:
        profile = getattr(user, "lawyer_profile", None)
    return {"SITE_NAME": "法问", "lawyer_profile": profile, "DEBUG": settings.DEBUG}
