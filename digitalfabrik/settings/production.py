"""Production: secrets have no default, so a missing one fails at start-up."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, database, env, logging_config
from .security import CONTENT_SECURITY_POLICY, with_csp_middleware  # noqa: F401 - a setting

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": database(env("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env("CELERY_BROKER_URL")

# HTTPS only. The TLS-terminating proxy sets X-Forwarded-Proto; the load benchmark on 127.0.0.1
# turns the redirect off with DJANGO_SECURE_SSL_REDIRECT=false.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Docker's health checks and the proxy's probes ask each web container directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# ALLAUTH_TRUSTED_PROXY_COUNT (base.py): deploy/Caddyfile is one proxy, so compose sets 1. Caddy
# passes the Host header through unchanged, so USE_X_FORWARDED_HOST stays off.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4), see security.py.
INSTALLED_APPS = [*INSTALLED_APPS, "csp"]
MIDDLEWARE = with_csp_middleware(MIDDLEWARE)

# One JSON object per log line (LOG_FORMAT=plain for a terminal).
LOGGING = logging_config(log_format=env("LOG_FORMAT", default="json"))

# Error reporting to Sentry (or a Sentry-compatible service) when SENTRY_DSN is set: unhandled
# exceptions of requests and Celery tasks, and every ERROR log record. No personal data (user,
# address, cookies, request bodies) unless SENTRY_SEND_DEFAULT_PII is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import logging

    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            RedisIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=env.bool("SENTRY_SEND_DEFAULT_PII", default=False),
    )
