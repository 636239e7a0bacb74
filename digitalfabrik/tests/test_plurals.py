"""A count is followed by the word in the right number: "1 offener Fall", "2 offene Fälle"."""

import re

import pytest
from django.urls import reverse

from coaching.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _tiles(client, language):
    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return re.sub(r"\s+", " ", html)


def test_dashboard_tiles_use_the_plural_of_their_count(client, world):
    client.force_login(world.users["staff"])
    CaseFactory(company=world.company_a)
    assert "1</div>offener Fall<" in _tiles(client, "de")
    assert "1</div>new request in the queue<" in _tiles(client, "en")
    CaseFactory(company=world.company_a)
    assert "2</div>offene Fälle<" in _tiles(client, "de")
    assert "2</div>new requests in the queue<" in _tiles(client, "en")
