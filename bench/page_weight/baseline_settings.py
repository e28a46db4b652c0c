"""lawqa.settings as they were before issue 13: static files under their plain names (short
Cache-Control, no pre-compressed copies) and pages not compressed. page_weight/run.py serves the
same database with these and with the real settings, so before and after differ only in that."""

from lawqa.settings import *  # noqa: F403 - the real settings with the two changes undone

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
MIDDLEWARE = [m for m in MIDDLEWARE if m != "django.middleware.gzip.GZipMiddleware"]  # noqa: F405
