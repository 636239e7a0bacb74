"""The factories live in coaching/factories.py (demo and benchmarks use them too); tests may import them here."""

from coaching.factories import (  # noqa: F401
    CaseFactory,
    EventFactory,
    EventRegistrationFactory,
    NextStepFactory,
    ProjectFactory,
    SessionFactory,
    SessionParticipantFactory,
)
