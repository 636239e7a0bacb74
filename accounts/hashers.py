"""The password hasher of every environment but the tests (settings.base.PASSWORD_HASHERS)."""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """Argon2id with the parameters of the OWASP Password Storage Cheat Sheet: 19 MiB, two passes, one lane.

    Django's defaults (100 MiB, two passes, eight lanes) cost about 160 ms of CPU a hash on this
    programme's two-CPU servers, so a handful of people logging in at once held every worker; these
    cost about 19 ms, at the strength OWASP lists as equivalent to its other Argon2id settings.
    The algorithm name stays "argon2": hashes made with Django's parameters still verify and are
    rehashed with these at the next successful log-in (``must_update``).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
