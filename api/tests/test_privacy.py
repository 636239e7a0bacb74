"""The API's part of the privacy export and the erasure (api/privacy.py)."""

import pytest

from accounts.factories import UserFactory
from accounts.privacy import account_erase, personal_data
from api.models import ApiToken

from .factories import token_for

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_persons_tokens_without_their_hashes():
    person, other = UserFactory(), UserFactory()
    token_for(person, name="Auswertung")
    token_for(other, name="Fremd")

    documents, _files = personal_data(user=person)

    [token] = documents["api_tokens.json"]
    assert token["name"] == "Auswertung"
    assert "key_hash" not in token


def test_erasure_deletes_the_persons_tokens_only():
    person, other = UserFactory(), UserFactory()
    token_for(person)
    token_for(other)

    account_erase(user=person)

    assert list(ApiToken.objects.values_list("user", flat=True)) == [other.pk]
