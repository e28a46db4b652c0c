"""Settings for the test suite: tasks run immediately, mail stays in memory, fast hashing,
and the search index lives in a throwaway directory per test process."""

import os
import tempfile
from pathlib import Path

from lawqa.settings import *  # noqa: F403 — the test settings are the real ones with a few overrides

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production uses argon2
LAWQA_INDEX_DIR = Path(tempfile.mkdtemp(prefix=f"lawqa-index-{os.getpid()}-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lawqa-tests"}}
# legalai models: none unless a test trains small ones (real ones under var/ must not leak in).
LAWQA_LEGALAI_DIR = Path(tempfile.mkdtemp(prefix=f"lawqa-legalai-{os.getpid()}-"))
# Tests do not run collectstatic: plain static names, served from the app folders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# The live server's request threads (browser tests) close their database connection after each
# request instead of keeping it CONN_MAX_AGE seconds on a keep-alive socket: on PostgreSQL a kept
# one was still open when the test database was dropped ("is being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
