"""Django's and allauth's login backends, with the logged-in user read from the page cache.

Every request of a logged-in user loads that user. Between two writes to the database the row
cannot have changed, so it comes from the cache under the data version (digitalfabrik.pagecache):
a changed password, role or active flag moves the version on and is read fresh on the next request.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends

from digitalfabrik import pagecache


class CachedUserMixin:
    def get_user(self, user_id):
        return pagecache.cached(
            "user", (user_id,), lambda: super(CachedUserMixin, self).get_user(user_id), per_language=False
        )


class ModelBackend(CachedUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, auth_backends.AuthenticationBackend):
    pass
