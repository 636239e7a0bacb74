"""Rate limits: per token, and per client address on the public endpoints.

The counters live in the default cache. When its Redis is unreachable the cache answers as an empty
cache (digitalfabrik/cache.py), so the limits fail open, as allauth's do.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _RateFromSettings(SimpleRateThrottle):
    def get_rate(self):
        """The rate as the settings say now (DRF reads them once, when the module is imported)."""
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(_RateFromSettings):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonymousRateThrottle(_RateFromSettings):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
