import pytest

from .factories import FundingPhaseFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phase(db):
    return FundingPhaseFactory()
