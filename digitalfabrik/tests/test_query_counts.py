"""Every list and dashboard page runs a fixed number of queries, however much data there is.

The data come from bench/generate_scale_data.py at a small scale, then a second, larger batch is
added; each parameterless portal page is opened by each benchmark user (company member, coach,
staff, funder) at both sizes. A page whose query count grows with the data has an N+1 query.
"""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .pages import parameterless_pages

# No page may need more than this many queries (session, user, the page's own, the nav's counts).
MAX_QUERIES = 40
SMALL, LARGE = 0.01, 0.05

_spec = importlib.util.spec_from_file_location(
    "generate_scale_data", Path(settings.BASE_DIR) / "bench" / "generate_scale_data.py"
)
generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)


PAGES = parameterless_pages()


def _query_counts(client, users) -> dict[tuple[str, str], int]:
    counts = {}
    for role, user in users.items():
        client.force_login(user)
        for name in PAGES:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(name))
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                counts[(role, name)] = len(queries)
        client.logout()
    return counts


def _generate(ctx) -> None:
    for name, step, models in generator.STEPS:
        if name != "people" and all(generator._has_model(label) for label in models):
            step(ctx)


@pytest.fixture
def scaled_data(db):
    scale = {key: max(2, round(value * SMALL)) for key, value in generator.DEFAULT_SCALE.items()}
    ctx = generator.Context(seed=1, scale=scale)
    generator.step_people(ctx)
    _generate(ctx)
    return ctx


def test_page_query_counts_do_not_grow_with_the_data(client, scaled_data):
    users = scaled_data.users
    small = _query_counts(client, users)
    assert small, "no page answered 200"
    assert ("company", "dashboard") in small

    larger = generator.Context(
        seed=2, scale={key: round(value * LARGE) for key, value in generator.DEFAULT_SCALE.items()}, batch=1
    )
    larger.partners, larger.coaches, larger.users = scaled_data.partners, scaled_data.coaches, users
    _generate(larger)
    large = _query_counts(client, users)

    grown = {page: (small[page], count) for page, count in large.items() if page in small and count > small[page]}
    assert not grown, f"query count grows with the data (role, page): (small, large) {grown}"
    too_many = {page: count for page, count in large.items() if count > MAX_QUERIES}
    assert not too_many, f"pages over {MAX_QUERIES} queries: {too_many}"
