"""Tests: the database and broker come from the environment (PostgreSQL and Redis in CI)."""

import os

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Local memory, unless EMAIL_URL names a server (a test's own SMTP server for a real worker process).
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# One folder per parallel test process (pytest-xdist): a file one process deletes is never one
# another process's test is about to read.
MEDIA_ROOT = env.path(  # noqa: F405
    "MEDIA_ROOT",
    default=BASE_DIR / "var" / "test-media" / (os.environ.get("PYTEST_XDIST_WORKER") or "main"),  # noqa: F405
)
ACCOUNT_RATE_LIMITS = False
# Local memory, whatever CACHE_URL says: conftest.py empties the cache before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages answer in German unless a test asks for another language: assertions on page text are pinned
# to it (service messages are checked in English by each app's conftest).
LANGUAGE_CODE = "de"
