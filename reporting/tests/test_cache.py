"""The indicator dashboard's figures come from the cache until a service changes what they count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import CoachFactory, FunderFactory, UserFactory
from coaching import services as coaching_services
from coaching.choices import ContactForm
from coaching.tests.factories import CaseFactory
from companies import services as company_services
from companies.choices import SizeClass
from companies.tests.factories import CompanyFactory
from reporting import selectors

from .conftest import Q1
from .factories import at

pytestmark = pytest.mark.django_db


def _supported(client, programme, **extra) -> dict:
    response = client.get(
        reverse("reporting:dashboard"),
        {"phase": programme.pk, "preset": "custom", "date_from": "2026-01-01", "date_to": "2026-03-31", **extra},
    )
    return {row.key: row.period for row in response.context["data"]["indicators"]}


def test_cached_figures_equal_the_computed_ones_and_a_second_read_runs_no_query(programme):
    with translation.override("de"):
        computed = selectors.dashboard_data(phase=programme, period=Q1)
        cached = selectors.cached_dashboard_data(phase=programme, period=Q1)
        with CaptureQueriesContext(connection) as queries:
            again = selectors.cached_dashboard_data(phase=programme, period=Q1)
    assert cached == computed
    assert again == computed
    assert len(queries) == 0


def test_cache_keeps_the_languages_apart(programme):
    with translation.override("en"):
        english = selectors.cached_dashboard_data(phase=programme, period=Q1)
    with translation.override("de"):
        german = selectors.cached_dashboard_data(phase=programme, period=Q1)
    assert english["indicators"][0].label == "Enterprises supported"
    assert german["indicators"][0].label != english["indicators"][0].label


def test_session_recorded_through_the_service_shows_on_the_next_dashboard(
    programme, client, django_capture_on_commit_callbacks
):
    client.force_login(FunderFactory())
    before = _supported(client, programme)
    assert _supported(client, programme) == before
    newcomer = CompanyFactory(name="Neu GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.session_record_held(
            case=CaseFactory(company=newcomer),
            by=CoachFactory(),
            starts_at=at(2026, 2, 3),
            duration_hours=Decimal("2"),
            form=ContactForm.ON_SITE,
        )
    after = _supported(client, programme)
    assert after["supported"] == before["supported"] + 1
    assert after["non_financial"] == before["non_financial"] + 1


def test_size_class_changed_through_the_service_shows_on_the_next_dashboard(programme, client):
    client.force_login(FunderFactory())
    before = _supported(client, programme)
    alpha = programme.applications.get(company__name="Alpha Frästechnik GmbH").company
    assert alpha.size_class == SizeClass.MICRO
    company_services.company_update(
        company=alpha,
        by=UserFactory(),
        data={"staff_headcount": Decimal("60"), "annual_turnover": Decimal("20000000")},
    )
    after = _supported(client, programme)
    assert after["micro"] == before["micro"] - 1
    assert after["medium"] == before["medium"] + 1
