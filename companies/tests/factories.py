"""The factories live in companies/factories.py (demo and benchmarks use them too); tests may import them here."""

from companies.factories import (  # noqa: F401
    CompanyFactory,
    MembershipFactory,
)
