import importlib

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

import digitalfabrik.urls


@pytest.fixture
def bare_view_routed(settings):
    settings.BENCH_BARE_VIEW = True
    importlib.reload(digitalfabrik.urls)
    clear_url_caches()
    yield
    settings.BENCH_BARE_VIEW = False
    importlib.reload(digitalfabrik.urls)
    clear_url_caches()


def test_bare_view_is_not_routed_by_default():
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare")


def test_bare_view_returns_fixed_text_when_switched_on(client, db, bare_view_routed):
    response = client.get(reverse("bench_bare"))
    assert response.status_code == 200
    assert response.content == b"ok"
