"""The factories live in programme/factories.py (demo and benchmarks use them too); tests may import them here."""

from programme.factories import (  # noqa: F401
    FundingPhaseFactory,
    GrantingBodyFactory,
    PartnerOrganisationFactory,
    ResponsibilityFactory,
)
