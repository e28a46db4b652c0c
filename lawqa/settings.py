"""LawQA settings: one module, configured from the environment.

LAWQA_ENV=production switches on the production hardening (secure cookies, HSTS, strict hosts);
DATABASE_URL selects the database (SQLite under var/ by default).
"""

import os
import socket
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LAWQA_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = BASE_DIR / "data"

ENV = os.environ.get("LAWQA_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("DJANGO_DEBUG", "0" if PRODUCTION else "1") == "1"

if PRODUCTION:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
else:
    # Development only: a fixed key is fine because no real data lives in a dev database.
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "dev-insecure-lawqa-key-do-not-use-in-production-0123456789"
    )

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "lawqa.common",
    "lawqa.accounts",
    "lawqa.lawyers",
    "lawqa.questions",
    "lawqa.statutes",
    "lawqa.search",
    "lawqa.legalai",
    "lawqa.privacy",
    "lawqa.moderation",
    "lawqa.notifications",
    "lawqa.api",
    "lawqa.seo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come pre-compressed from WhiteNoise above, which answers first).
    # Django's GZip pads each response with random bytes against BREACH; CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lawqa.common.middleware.BadURLMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lawqa.common.middleware.RateLimitedMiddleware",
    # AxesMiddleware must be last: it turns lockouts into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lawqa.urls"
WSGI_APPLICATION = "lawqa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lawqa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lawqa.common.context_processors.site",
                "lawqa.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lawqa.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site is Chinese only: Django's own messages are Chinese whatever Accept-Language says
# (no LocaleMiddleware, one language).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "lawqa" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `manage.py collectstatic` (make setup) writes content-hashed copies with .gz twins; WhiteNoise
    # serves them compressed with a one-year immutable Cache-Control. Pages with DEBUG off need it run.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Shared cache for rate limits and cached fragments: Redis when set (redis://127.0.0.1:6379/0;
# counters are atomic across nodes), else the database cache in production (no extra server,
# `manage.py createcachetable`) and process memory in development.
LAWQA_REDIS_URL = os.environ.get("LAWQA_REDIS_URL", "")
# Prefix of every cache key, so sites (or test runs) sharing one Redis keep apart.
LAWQA_CACHE_PREFIX = os.environ.get("LAWQA_CACHE_PREFIX", "lawqa")
if LAWQA_REDIS_URL:
    _cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": LAWQA_REDIS_URL,
        # A stalled Redis fails a request in a second instead of hanging every worker.
        "OPTIONS": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
    }
elif PRODUCTION:
    _cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lawqa_cache"}
else:
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lawqa"}
CACHES = {"default": {**_cache, "KEY_PREFIX": LAWQA_CACHE_PREFIX}}

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LAWQA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A task RUNNING for longer than this many seconds is taken as lost (its worker died) and run again.
LAWQA_TASK_TIMEOUT = int(os.environ.get("LAWQA_TASK_TIMEOUT", "600"))
# How many times a task is tried in all (first run, retries after an error or a lost worker).
LAWQA_TASK_MAX_ATTEMPTS = int(os.environ.get("LAWQA_TASK_MAX_ATTEMPTS", "5"))
# Seconds before a failed task's first retry; doubled at each further attempt.
LAWQA_TASK_RETRY_DELAY = int(os.environ.get("LAWQA_TASK_RETRY_DELAY", "30"))
# /healthz fails a node whose search index is more than this many change-log entries behind.
LAWQA_HEALTHZ_MAX_INDEX_LAG = int(os.environ.get("LAWQA_HEALTHZ_MAX_INDEX_LAG", "1000"))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "法问 LawQA <noreply@lawqa.local>")
# The site's own address, the only one e-mails link to (never the request's Host header).
LAWQA_SITE_URL = (
    os.environ["LAWQA_SITE_URL"] if PRODUCTION else os.environ.get("LAWQA_SITE_URL", "http://127.0.0.1:8000")
).rstrip("/")

# --- Security -----------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Reverse proxies in front of the app (0: REMOTE_ADDR is the client); rate limits and axes agree on the IP.
LAWQA_TRUSTED_PROXY_COUNT = int(os.environ.get("LAWQA_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "lawqa.common.ratelimit.axes_client_ip"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers and monitors ask each node over plain HTTP on its own port.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Privacy: how long records kept only for security or operations live (the privacy policy shows these).
LAWQA_RETENTION_DAYS = {"login_records": 30, "task_results": 30}
# Where people write about their personal data (shown on /privacy/).
LAWQA_PRIVACY_CONTACT = os.environ.get("LAWQA_PRIVACY_CONTACT", "privacy@lawqa.example.cn")
# Date the privacy policy text last changed.
LAWQA_PRIVACY_POLICY_DATE = "2026年11月28日"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- LawQA settings -----------------------------------------------------------------------
# Questions per page on list pages.
LAWQA_PAGE_SIZE = 20
# Sitemaps: URLs per sitemap file (the sitemaps.org limit is 50,000) and how long a generated file is cached.
LAWQA_SITEMAP_URLS_PER_FILE = 50_000
LAWQA_SITEMAP_CACHE_SECONDS = int(os.environ.get("LAWQA_SITEMAP_CACHE_SECONDS", "3600"))
# How long a generated RSS / Atom feed is cached.
LAWQA_FEED_CACHE_SECONDS = int(os.environ.get("LAWQA_FEED_CACHE_SECONDS", "300"))
# Rate limits on writes: (count, seconds) per user and per IP.
LAWQA_RATE_LIMITS = {
    "ask": (10, 3600),
    "answer": (60, 3600),
    "followup": (30, 3600),
    "report": (20, 3600),
    "register": (5, 3600),
    "vote": (120, 3600),
    "account_delete": (10, 3600),
    "password_reset": (5, 3600),
    "supplement": (10, 3600),
    "follow": (120, 3600),
    "rate": (30, 3600),
    "rating_reply": (60, 3600),
    "notification_settings": (30, 3600),
    "answer_edit": (30, 3600),
    "draft_help": (240, 3600),
    # The ask page's assist ranks articles for the text being typed (embedding + ranking, tens of
    # ms of CPU): generous for a person typing, a wall for a script.
    "ask_assist": (600, 3600),
    # Every request made with an API token (reads too), per token, user and IP.
    "api_request": (3000, 3600),
    "token_create": (20, 3600),
    "token_revoke": (60, 3600),
    "notifications_read": (600, 3600),
}
# Premoderation: a new account's posts (questions, answers) wait for a moderator until this many
# of its posts have been published; 0 publishes at once (the spam rules still apply).
LAWQA_PREMODERATE_FIRST_POSTS = int(os.environ.get("LAWQA_PREMODERATE_FIRST_POSTS", "0"))
# Where this node's search indexes live (tantivy under text/, vectors under vectors/).
LAWQA_INDEX_DIR = Path(os.environ.get("LAWQA_INDEX_DIR", VAR_DIR / "index"))
# This node's name in the search log's node table (one per index directory).
LAWQA_NODE_NAME = os.environ.get("LAWQA_NODE_NAME", socket.gethostname())
# Seconds after which an indexer that stopped reporting no longer holds back log pruning.
LAWQA_INDEX_NODE_TIMEOUT = int(os.environ.get("LAWQA_INDEX_NODE_TIMEOUT", str(24 * 3600)))
# Routing: most lawyers notified per question, most notifications per lawyer per day.
LAWQA_ROUTING_MAX_PER_QUESTION = int(os.environ.get("LAWQA_ROUTING_MAX_PER_QUESTION", "10"))
LAWQA_ROUTING_MAX_PER_LAWYER_PER_DAY = int(os.environ.get("LAWQA_ROUTING_MAX_PER_LAWYER_PER_DAY", "20"))
# Where train_legalai writes the area classifier and the article suggester.
LAWQA_LEGALAI_DIR = Path(os.environ.get("LAWQA_LEGALAI_DIR", VAR_DIR / "legalai"))
# Followers told per background task (one transaction each) when a followed question has news.
LAWQA_NOTIFY_BATCH_SIZE = int(os.environ.get("LAWQA_NOTIFY_BATCH_SIZE", "500"))
# Users whose daily digest one background task mails (one mail-server connection each).
LAWQA_DIGEST_BATCH_SIZE = int(os.environ.get("LAWQA_DIGEST_BATCH_SIZE", "200"))
# Local hour (0–23) at which `manage.py send_digests --loop` sends the daily digests.
LAWQA_DIGEST_HOUR = int(os.environ.get("LAWQA_DIGEST_HOUR", "8"))
# A visitor's question draft kept in their session is published after sign-up only this fresh.
LAWQA_ASK_DRAFT_MAX_AGE_HOURS = int(os.environ.get("LAWQA_ASK_DRAFT_MAX_AGE_HOURS", "72"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Personal data (phone, ID, card numbers …) is masked in every record before it is written.
    "filters": {"mask_pii": {"()": "lawqa.privacy.log_filters.MaskPIIFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_pii"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LAWQA_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replace Django's own handlers (unfiltered console, error e-mails with request data).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
