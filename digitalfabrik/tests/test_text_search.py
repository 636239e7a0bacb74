"""digitalfabrik.forms.text_search: the one search box behind the list pages' filters."""

import pytest

from companies.models import Company
from companies.tests.factories import CompanyFactory
from digitalfabrik.forms import text_search

pytestmark = pytest.mark.django_db


def test_any_field_matches_ignoring_case_and_an_empty_value_keeps_every_row():
    hagen = CompanyFactory(name="Werkzeugbau Kruse", city="Hagen")
    dortmund = CompanyFactory(name="Hagener Feinmechanik", city="Dortmund")
    CompanyFactory(name="Bäckerei Sommer", city="Bochum")
    companies = Company.objects.order_by("pk")
    assert list(text_search(companies, "hAGEN", "name", "city")) == [hagen, dortmund]
    assert list(text_search(companies, "hagen", "city")) == [hagen]
    assert list(text_search(companies, "  ", "name", "city")) == list(companies)


def test_a_nul_byte_is_dropped_instead_of_reaching_postgresql():
    kruse = CompanyFactory(name="Werkzeugbau Kruse", city="Hagen")
    assert list(text_search(Company.objects.all(), "Kru\x00se", "name")) == [kruse]
    assert list(text_search(Company.objects.all(), "\x00", "name")) == [kruse]
