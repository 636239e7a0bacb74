"""A Redis cache that behaves like an empty cache while Redis cannot be reached.

Nothing the portal keeps in the cache is needed to answer a request: sessions are in the database,
rate-limit counters and template fragments are a help, not a precondition. So with the cache's
Redis down (or answering too slowly, see REDIS_SOCKET_TIMEOUT) every call gives up after its socket
timeout and is answered as an empty cache would answer it. django-redis does this for every call
with ``IGNORE_EXCEPTIONS`` and logs each as an error (``DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS``).
"""

import logging

from django_redis.cache import RedisCache

logger = logging.getLogger(__name__)


class FailSoftRedisCache(RedisCache):
    def add(self, *args, **kwargs):
        """True when Redis is unreachable, as an empty cache that accepted the key and forgot it.

        django-redis answers None, which callers read as "the key is taken". allauth takes its
        rate-limit lock with ``cache.add``: it would wait a second for the lock and then refuse
        every login and sign-up, failing closed. Granted, its counters are read as empty and the
        rate limits fail open instead.
        """
        added = super().add(*args, **kwargs)
        if added is None:
            logger.error("Redis cache unreachable: rate limits (logins, sign-ups, password resets) are not enforced")
            return True
        return added
