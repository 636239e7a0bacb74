"""The indicator dashboard's figures come from the cache until anything is written to the database."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.tests.factories import CoachFactory, UserFactory
from coaching import services as coaching_services
from coaching.choices import ContactForm
from coaching.tests.factories import CaseFactory
from companies import services as company_services
from companies.choices import SizeClass
from companies.models import Company
from companies.tests.factories import CompanyFactory
from reporting import selectors

from .conftest import Q1
from .factories import at

pytestmark = pytest.mark.django_db


def _supported(programme) -> dict:
    data = selectors.cached_dashboard_data(phase=programme, period=Q1)
    return {row.key: row.period for row in data["indicators"]}


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
    programme, django_capture_on_commit_callbacks
):
    before = _supported(programme)
    with CaptureQueriesContext(connection) as queries:
        assert _supported(programme) == before
    assert len(queries) == 0
    newcomer = CompanyFactory(name="Neu GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.session_record_held(
            case=CaseFactory(company=newcomer),
            by=CoachFactory(),
            starts_at=at(2026, 2, 3),
            duration_hours=Decimal("2"),
            form=ContactForm.ON_SITE,
        )
    after = _supported(programme)
    assert after["supported"] == before["supported"] + 1
    assert after["non_financial"] == before["non_financial"] + 1


def test_size_class_changed_through_the_service_shows_on_the_next_dashboard(programme):
    before = _supported(programme)
    alpha = programme.applications.get(company__name="Alpha Frästechnik GmbH").company
    assert alpha.size_class == SizeClass.MICRO
    company_services.company_update(
        company=alpha,
        by=UserFactory(),
        data={"staff_headcount": Decimal("60"), "annual_turnover": Decimal("20000000")},
    )
    after = _supported(programme)
    assert after["micro"] == before["micro"] - 1
    assert after["medium"] == before["medium"] + 1


def test_a_write_outside_the_services_shows_on_the_next_dashboard(programme):
    """The admin's bulk actions and queryset updates send no signal; the figures still follow them."""
    before = _supported(programme)
    alpha = programme.applications.get(company__name="Alpha Frästechnik GmbH").company
    Company.objects.filter(pk=alpha.pk).update(size_class=SizeClass.MEDIUM)
    after = _supported(programme)
    assert after["micro"] == before["micro"] - 1
    assert after["medium"] == before["medium"] + 1
