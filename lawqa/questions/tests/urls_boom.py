"""A URLconf for the 500-page test: the site's URLs plus one view that fails."""

from django.urls import path

from lawqa.urls import handler404, handler500  # noqa: F401 — re-exported handlers
from lawqa.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
