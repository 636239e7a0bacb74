"""The factories live in accounts/factories.py (demo and benchmarks use them too); tests may import them here."""

from accounts.factories import (  # noqa: F401
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    AdminFactory,
    CoachFactory,
    FunderFactory,
    StaffFactory,
    UserFactory,
)
