import pytest
from django.utils import translation

from programme.tests.factories import FundingPhaseFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phase(db):
    return FundingPhaseFactory()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service and rule messages are checked in English; requests pick their language themselves."""
    with translation.override("en"):
        yield
