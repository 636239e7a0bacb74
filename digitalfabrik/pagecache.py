"""Rendered pages and computed figures in Django's cache (Redis in production), never stale.

One number, the *data version*, stands for everything the database holds. Every INSERT, UPDATE,
DELETE or TRUNCATE that Django sends (models, querysets' ``update()``, bulk writes, raw SQL through
Django's connections, the admin, Celery workers) moves it on, through a wrapper installed on each
database connection (``track_writes``). Whatever is cached under an older version is never read
again and expires unused. Writes from outside Django (psql, a restored dump) are seen once
PAGE_CACHE_TIMEOUT has passed, or at once after ``manage.py data_changed``.

``cache_page_per_user`` keeps a view's rendered page per user, language, address and day (what
depends on the time of day may lag by up to PAGE_CACHE_TIMEOUT). A page
is served from the cache only to the user it was rendered for, and only while the data version is
the one it was rendered at: roles, memberships and everything else a permission check reads are
in the database, so the answer of the view's checks cannot have changed. The middleware (session,
login, two-factor, session timeout) and the decorators outside this one run on every request. The
CSRF tokens in a cached page are replaced by the visitor's own on each hit.
"""

import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:data-version"
# Tables whose writes change nothing a page shows: sessions are written by logins and the session
# timeout, and must not empty the cache of everyone else.
UNTRACKED_TABLES = frozenset({"django_session"})

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)', re.IGNORECASE)
# Django's {% csrf_token %}; its value differs per visitor and is put back on every cache hit.
_CSRF_VALUE = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(?=")')


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # No version yet (or evicted): start from the clock, so no older entry can match again.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    except RedisError:
        # The write itself must not fail because the cache is away; what it cached before is
        # dropped after PAGE_CACHE_TIMEOUT at the latest.
        logger.exception("Could not move the data version on")


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached page and figure out of date: now, and again when the transaction commits.

    At once, so that a later read in the same transaction does not find what was cached before;
    at the commit (once per transaction), to drop what a concurrent request computed from the data
    before it.
    """
    _bump()
    connection = connections[using]
    if connection.in_atomic_block and not any(_bump in entry for entry in connection.run_on_commit):
        transaction.on_commit(_bump, using=using)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE, DELETE or TRUNCATE statement writes to; None for reads."""
    match = _WRITE.match(sql)
    return match[1] if match else None


def track_writes(execute, sql, params, many, context):
    """Execute wrapper: a write to a tracked table moves the data version on (``data_changed``)."""
    result = execute(sql, params, many, context)
    table = written_table(sql) if isinstance(sql, str) else None
    # An UPDATE or DELETE that matched no row (a periodic sweep with nothing to do) changed nothing.
    if table is not None and table not in UNTRACKED_TABLES and getattr(context["cursor"], "rowcount", -1) != 0:
        data_changed(using=context["connection"].alias)
    return result


def install_write_tracking(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: every database connection reports its writes."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def _lookup(key: str):
    """The data version and the entry under ``key`` if it was stored at that version, in one round trip."""
    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY), found.get(key)
    if version is None:
        return data_version(), None
    if entry is None or entry[0] != version:
        return version, None
    return version, entry[1]


def cached(name: str, parts: tuple, compute, *, per_language: bool = True):
    """``compute()``, cached under ``name`` and ``parts`` (what the value depends on besides the data).

    Values that contain translated text are kept per language. None is not cached.
    """
    if not settings.PAGE_CACHE_ENABLED:
        return compute()
    raw = repr((get_language() if per_language else None, parts))
    key = f"portal:cached:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    try:
        version, value = _lookup(key)
    except RedisError:
        logger.exception("Cache unavailable")
        return compute()
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, (version, value), timeout=settings.PAGE_CACHE_TIMEOUT)
    return value


def _page_key(request) -> str:
    user = request.user.pk if request.user.is_authenticated else "anonymous"
    raw = repr((user, get_language(), request.get_full_path(), timezone.localdate().isoformat()))
    return f"portal:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cacheable_request(request) -> bool:
    if request.method != "GET" or not settings.PAGE_CACHE_ENABLED:
        return False
    if not request.user.is_authenticated and (request.GET or not request.session.is_empty()):
        # A visitor half-way through a login (allauth keeps its stage in the session) sees more;
        # and anybody could fill the cache with one entry per made-up query string.
        return False
    # Pending messages are shown (and used up) by the page, so it must be rendered.
    return not len(messages.get_messages(request))


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def _from_cache(request, entry) -> HttpResponse:
    status, headers, chunks = entry
    content = get_token(request).join(chunks) if len(chunks) > 1 else chunks[0]
    return HttpResponse(content, status=status, headers=headers)


def _store(key: str, version: int, response) -> None:
    chunks = _CSRF_VALUE.split(response.content.decode(response.charset))
    if sum(chunk.count("csrfmiddlewaretoken") for chunk in chunks) != len(chunks) - 1:
        # A token written some other way would not be replaced and fail the next visitor's CSRF check.
        return
    headers = {name: value for name, value in response.items() if name.lower() != "content-length"}
    cache.set(key, (version, (response.status_code, headers, chunks)), timeout=settings.PAGE_CACHE_TIMEOUT)


def cache_page_per_user(view):
    """Serve ``view``'s page from the cache while nothing in the database has changed.

    For GET pages that show only what the database holds for this user and what the address asks
    for (lists, dashboards); not for pages that write or that show anything from the session.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        try:
            version, entry = _lookup(key)
        except RedisError:
            logger.exception("Page cache unavailable")
            return view(request, *args, **kwargs)
        if entry is not None:
            return _from_cache(request, entry)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _cacheable_response(response):
            _store(key, version, response)
        return response

    return wrapper
