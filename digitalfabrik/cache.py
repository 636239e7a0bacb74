"""A Redis cache that behaves like an empty cache while Redis cannot be reached.

Nothing the portal keeps in the cache is needed to answer a request: sessions are in the database,
rate-limit counters and template fragments are a help, not a precondition. So with the cache's
Redis down, or not answering within its socket timeouts (REDIS_SOCKET_CONNECT_TIMEOUT,
REDIS_SOCKET_TIMEOUT), every call is answered as an empty cache would answer it: django-redis does
that with ``IGNORE_EXCEPTIONS``.

A Redis that does not answer at all (a host gone from the network) costs each call its full
timeout, and a login makes about twenty cache calls. So after a failed call this process leaves
Redis alone for ``RETRY_AFTER`` seconds (an option of the cache, default 5): calls are answered at
once as by an empty cache, and one error is logged per such pause, not one per call.
"""

import logging
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)


class _PausableClient:
    """django-redis's client, bypassed while the cache pauses after a failure."""

    def __init__(self, client, cache: "FailSoftRedisCache"):
        self._client = client
        self._cache = cache

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if self._cache.paused():
                raise ConnectionInterrupted(connection=None)
            try:
                result = attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                self._cache.pause(error.__cause__)
                raise
            self._cache.resumed()
            return result

        return call


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._retry_after = float(params.get("OPTIONS", {}).get("RETRY_AFTER", 5))
        self._paused_until = 0.0
        self._failing = False

    @property
    def client(self):
        return _PausableClient(super().client, self)

    def paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def pause(self, error: BaseException | None) -> None:
        self._paused_until = time.monotonic() + self._retry_after
        self._failing = True
        logger.error(
            "Redis cache %s unreachable (%s): answered as an empty cache for %s s. Meanwhile the rate "
            "limits of logins, sign-ups and password resets are not enforced, nor the single use of "
            "two-factor codes.",
            self._server,
            error,
            self._retry_after,
        )

    def resumed(self) -> None:
        if self._failing:
            self._failing = False
            logger.warning("Redis cache %s reachable again", self._server)

    def add(self, *args, **kwargs):
        """True when Redis is unreachable, as an empty cache that accepted the key and forgot it.

        django-redis answers None, which callers read as "the key is taken". allauth takes its
        rate-limit lock with ``cache.add``: it would wait a second for the lock and then refuse
        every login and sign-up, failing closed. Granted, its counters are read as empty and the
        rate limits fail open instead. allauth also marks a used TOTP code with ``cache.add``
        (a code is good once): refused, no staff member could log in; granted, a code could be
        replayed within its 30 seconds while Redis is away. The error logged says so.
        """
        added = super().add(*args, **kwargs)
        return True if added is None else added
