"""Settings shared by every environment. Every value can be set from the environment."""

from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from .storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The portal's name in e-mails (allauth's too) and their subjects, instead of the host name.
SITE_NAME = "Digitale Fabrik"


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "health_check",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "digitalfabrik",
    "programme",
    "accounts",
    "companies",
    "coaching",
    "innoscheck",
    "reporting",
    "api",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which reads the body: refuses an over-size one unread (uploads.py).
    "digitalfabrik.uploads.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.PrivilegedSessionTimeoutMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# The bench/ scripts start gunicorn with bench.urls (the portal's URLs plus the benchmark's ceiling).
ROOT_URLCONF = env("DJANGO_ROOT_URLCONF", default="digitalfabrik.urls")
WSGI_APPLICATION = "digitalfabrik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "notifications.context_processors.bell",
                "reporting.context_processors.reports",
            ],
        },
    }
]


def database(url: str) -> dict:
    """The database of a URL. PostgreSQL runs without JIT compilation: the portal's statements take
    milliseconds, but the figures' larger ones cross the planner's JIT threshold at 100 k companies and
    then spent 30-40 ms compiling (the indicator dashboard's voucher figures: 92 ms with JIT, 31 without)."""
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {"default": database(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every Redis client gives up quickly when Redis does not answer (a request must not hang on it).
REDIS_SOCKET_CONNECT_TIMEOUT = env.float("REDIS_SOCKET_CONNECT_TIMEOUT", default=0.5)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)


def cache_from_url(url: str) -> dict:
    """A cache from a URL; a Redis cache fails soft (digitalfabrik/cache.py) with short socket timeouts."""
    config = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django_redis.cache.RedisCache":
        config["BACKEND"] = "digitalfabrik.cache.FailSoftRedisCache"
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "IGNORE_EXCEPTIONS": True,
            "RETRY_AFTER": env.float("REDIS_CACHE_RETRY_AFTER", default=5),
            "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_CONNECT_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
        }
    return config


# "default" holds allauth's rate-limit counters: point CACHE_URL at a Redis that never evicts
# (maxmemory-policy noeviction, e.g. another logical database of the broker's Redis). Rendered
# template fragments ({% cache %}) go to FRAGMENT_CACHE_URL, a Redis that may evict anything
# (allkeys-lru); by default the same cache. See README, "Redis".
CACHE_URL = env("CACHE_URL", default="locmemcache://")
CACHES = {
    "default": cache_from_url(CACHE_URL),
    "template_fragments": cache_from_url(env("FRAGMENT_CACHE_URL", default=CACHE_URL)),
}
# Sessions live in the database only: with the cache down nobody is logged out, and a session
# ended while Redis was unreachable cannot come back from a stale cached copy.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    # Argon2id with OWASP's parameters (accounts/hashers.py); PBKDF2 verifies hashes of older imports.
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Staff, coaches, funders and admins are logged out after this many seconds without a request.
PRIVILEGED_SESSION_AGE = env.int("PRIVILEGED_SESSION_AGE", default=30 * 60)
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: e-mail login, mandatory verification, rate limits (allauth defaults) on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Behind a reverse proxy every request comes from the proxy's address: the rate limits then count
# per client only if allauth knows which header carries the client's address. Either the number
# of proxies of ours that append to X-Forwarded-For (the client is the address the outermost of
# them appended), or a header one of them sets (e.g. X-Real-IP); never both.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Digitale Fabrik"
# A code entered twice within its 30 seconds is named as "already used" (accounts/forms.py).
MFA_FORMS = {
    "authenticate": "accounts.forms.TOTPAuthenticateForm",
    "reauthenticate": "accounts.forms.TOTPReauthenticateForm",
}

# The open API (api/): personal access tokens only (no session, so no CSRF), cursor pages, RFC 9457
# problem details for every error, throttled per token and per client address for the public
# endpoints. The counters live in the default cache, which fails open (digitalfabrik/cache.py).
API_TOKEN_RATE = env("API_TOKEN_RATE", default="1000/hour")
API_ANONYMOUS_RATE = env("API_ANONYMOUS_RATE", default="120/hour")
# The longest a personal access token may be valid (days).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenHasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_TOKEN_RATE, "anonymous": API_ANONYMOUS_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    # DRF picks the client address like allauth does: the entry our outermost proxy appended.
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Digitale Fabrik API",
    "DESCRIPTION": _("Figures, reports, voucher applications, companies and coaching of the Digitale Fabrik portal."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "innoscheck.workflow.Status",
        "CaseStatusEnum": "coaching.choices.CaseStatus",
        "SessionStatusEnum": "coaching.choices.SessionStatus",
        "ReportStatusEnum": "reporting.models.ReportStatus",
        "ContactFormEnum": "coaching.choices.ContactForm",
    },
}

# Form and widget templates by Jinja2 (digitalfabrik.forms.FormRenderer); pages stay Django templates.
FORM_RENDERER = "digitalfabrik.forms.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# locale_allauth: formal address ("Sie") for allauth, ahead of allauth's own catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# English pages with European dates and the 24-hour clock (digitalfabrik/formats/en/formats.py).
FORMAT_MODULE_PATH = ["digitalfabrik.formats"]
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Pages name static files by their hashed names only, so only those are kept and compressed (half the
# work of collectstatic); source maps, which only a browser's developer tools fetch, are not compressed.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Uploads and generated PDFs live outside the static root and are only served by views that
# check permission; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/no-public-media/"
# With a bucket configured, every file (uploads, voucher PDFs, reports and their parts) lives in
# S3-compatible object storage that all machines share (django-storages); without one, on the local
# disk in MEDIA_ROOT (make run). The bucket stays private: downloads stream through Django.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=env("S3_ENDPOINT_URL", default=None),
        access_key=env("S3_ACCESS_KEY_ID", default=None),
        secret_key=env("S3_SECRET_ACCESS_KEY", default=None),
        region=env("S3_REGION", default=None),
        location=env("S3_LOCATION", default=""),
        addressing_style=env("S3_ADDRESSING_STYLE", default="path"),
    )

# The largest file; and the largest request to a view that takes files (the proof of use carries
# two, plus the form): larger announced bodies are refused unread with 413 (digitalfabrik/uploads.py).
# The reverse proxy should refuse the same (client_max_body_size / LimitRequestBody).
INNOSCHECK_MAX_UPLOAD_BYTES = env.int("INNOSCHECK_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=2 * INNOSCHECK_MAX_UPLOAD_BYTES + 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "digitalfabrik.uploads.FileSizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# At most this many files the company uploads to one application (the proof of use comes on top).
INNOSCHECK_MAX_ATTACHMENTS = env.int("INNOSCHECK_MAX_ATTACHMENTS", default=20)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Digitale Fabrik <noreply@digitale-fabrik.example>")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# Seconds an SMTP connect or answer may take before sending fails (Django's default: wait forever).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The outbox (notifications app): attempts per mail before it is marked failed, the wait before the
# first retry (doubled for each further one, at most an hour), and seconds after which the sweep
# sends again what no worker has taken.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_REQUEUE_AFTER = env.int("OUTBOX_REQUEUE_AFTER", default=180)
# Who gets the error mails of production ("Name <address>", comma-separated), and their sender.
ADMINS = getaddresses(env.list("DJANGO_ADMINS", default=[]))
MANAGERS = ADMINS
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {"*.tasks.render_*": {"queue": "pdf"}}
# Redis redelivers a message whose worker died without acknowledging it after this many seconds;
# it must exceed the longest task time limit (reports: REPORT_TIME_LIMIT).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": REDIS_SOCKET_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
# The same for a Redis result backend (CELERY_RESULT_BACKEND=redis://...).
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_SOCKET_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
REPORT_SOFT_TIME_LIMIT = env.int("REPORT_SOFT_TIME_LIMIT", default=240)
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=300)
# Pages of the report annex per part; each part is rendered by whichever PDF worker takes it.
REPORT_ANNEX_PAGES_PER_PART = env.int("REPORT_ANNEX_PAGES_PER_PART", default=8)
CELERY_TIMEZONE = TIME_ZONE
# On the clock (crontab), not "every n seconds from the start of beat": two beats then send a task for
# the same slot, and digitalfabrik.schedule lets only the first run of each slot work. Run one beat.
CELERY_BEAT_SCHEDULE: dict = {
    # Approved vouchers past their validity expire and release their reserved amount.
    "innoscheck-expire-vouchers": {"task": "innoscheck.tasks.expire_vouchers", "schedule": crontab(minute=0)},
    # Each phase's reserved and paid-out totals against the sums over its vouchers; differences to ADMINS.
    "innoscheck-check-budget": {"task": "innoscheck.tasks.check_budget", "schedule": crontab(minute=15, hour=3)},
    # The quarterly indicator report for the running phase, e-mailed to the funders (00:30 on 1 Jan/Apr/Jul/Oct).
    "reporting-quarterly-report": {
        "task": "reporting.tasks.request_quarterly_report",
        "schedule": crontab(minute=30, hour=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # The daily digest of notifications, for those who chose it (07:00 Europe/Berlin, CELERY_TIMEZONE).
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    # Outbox mails, voucher documents and reports that no worker has taken are sent again.
    "notifications-sweep-undelivered": {
        "task": "notifications.tasks.sweep_undelivered",
        "schedule": crontab(minute="*/2"),
    },
    # Expired sessions and the one-time tokens of forms that no session can send any more.
    "digitalfabrik-clean-up": {"task": "digitalfabrik.tasks.clean_up", "schedule": crontab(minute=0, hour=4)},
    # Reports whose worker died past the time limit are marked failed rather than left running.
    "reporting-sweep-stale-reports": {
        "task": "reporting.tasks.sweep_stale_reports",
        "schedule": crontab(minute="*/5"),
    },
}


_LOG_FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}


def logging_config(*, log_format: str) -> dict:
    """Django's, gunicorn's and the Celery workers' logging (celery.py): one line per record on stderr.

    ``log_format`` "json" writes one JSON object per line (time, level, logger, message, and the
    traceback as ``exc_info``) for a log collector; "plain" is for people reading a terminal.
    Errors of requests are also mailed to ADMINS when DEBUG is off.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
        "formatters": {log_format: _LOG_FORMATTERS[log_format]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format},
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
        "loggers": {
            "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
            "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            # What a worker received, started and finished, as `celery worker -l info` shows it.
            "celery": {"level": env("CELERY_LOG_LEVEL", default="INFO")},
            # Every use of an API token, its creation and revocation (api/services.py): an audit trail.
            "api": {"level": env("API_LOG_LEVEL", default="INFO")},
        },
    }


LOGGING = logging_config(log_format=env("LOG_FORMAT", default="plain"))
