"""The indicator dashboard's figures in Django's cache (Redis in production), invalidated on write.

Every cached entry's key holds a version number. The services that change what the indicators count
(coaching sessions, participants, projects, events, registrations and cases; voucher applications'
status and amounts; companies' size class, city and founding year) call ``indicators_changed()``,
which moves the version on, so the next dashboard reads fresh figures; old entries expire unused.
Writes outside those services (the Django admin, raw SQL) are not seen until CACHE_TIMEOUT passes.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "reporting:indicators:version"
# An entry nobody invalidated is recomputed after this many seconds at the latest.
CACHE_TIMEOUT = 60 * 60


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # No version yet (or evicted): start from the clock, so no older entry can match again.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def indicators_changed() -> None:
    """Invalidate every cached indicator figure: now, and again when the transaction commits.

    The second bump drops figures a concurrent request computed from the data before the commit.
    """
    _bump()
    transaction.on_commit(_bump)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def cached(name: str, parts: tuple, compute):
    """``compute()``, cached under ``name``, ``parts`` (what the figures depend on) and the language."""
    raw = repr((_version(), get_language(), parts))
    key = f"reporting:indicators:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=CACHE_TIMEOUT)
    return value
