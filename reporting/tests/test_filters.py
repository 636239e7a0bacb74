"""Far-out or reversed dates in every reporting form that takes dates answer with a form error, never a 500."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import FunderFactory
from reporting.forms import FilterForm, ReportRequestForm
from reporting.models import Report

pytestmark = pytest.mark.django_db

BAD_PERIODS = [
    ("0001-01-01", "9999-12-31"),
    ("1989-12-31", "2026-03-31"),
    ("2026-01-01", "2101-01-01"),
    ("2026-03-31", "2026-01-01"),
]


@pytest.fixture
def funder_client(client):
    client.force_login(FunderFactory())
    return client


def _custom(programme, date_from, date_to):
    return {"phase": programme.pk, "preset": "custom", "date_from": date_from, "date_to": date_to}


@pytest.mark.parametrize(("date_from", "date_to"), BAD_PERIODS)
@pytest.mark.parametrize("form_class", [FilterForm, ReportRequestForm])
def test_forms_refuse_implausible_or_reversed_periods(programme, form_class, date_from, date_to):
    form = form_class({**_custom(programme, date_from, date_to), "kind": "indicators", "language": "de"})
    assert not form.is_valid()
    assert "period" not in form.cleaned_data


@pytest.mark.parametrize("form_class", [FilterForm, ReportRequestForm])
def test_forms_accept_the_edges_of_the_plausible_range(programme, form_class):
    form = form_class({**_custom(programme, "1990-01-01", "2100-12-31"), "kind": "indicators", "language": "de"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["period"].start.year, form.cleaned_data["period"].end.year) == (1990, 2100)


def test_far_out_dates_name_the_plausible_range(programme):
    with translation.override("de"):
        form = FilterForm(_custom(programme, "0001-01-01", "9999-12-31"))
        assert not form.is_valid()
        expected = ["Geben Sie ein Datum zwischen dem 01.01.1990 und dem 31.12.2100 ein."]
        assert form.errors["date_from"] == form.errors["date_to"] == expected


@pytest.mark.parametrize(("date_from", "date_to"), BAD_PERIODS)
def test_dashboard_shows_the_form_error(programme, funder_client, date_from, date_to):
    response = funder_client.get(reverse("reporting:dashboard"), _custom(programme, date_from, date_to))
    assert response.status_code == 200
    assert response.context["form"].errors and "data" not in response.context


@pytest.mark.parametrize(("date_from", "date_to"), BAD_PERIODS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_answers_with_the_filter_and_its_error(programme, funder_client, fmt, date_from, date_to):
    response = funder_client.get(
        reverse("reporting:export", args=["indicators", fmt]), _custom(programme, date_from, date_to)
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert b"is-invalid" in response.content or b"alert-danger" in response.content


@pytest.mark.parametrize(("date_from", "date_to"), BAD_PERIODS)
def test_chart_answers_bad_request(programme, funder_client, date_from, date_to):
    response = funder_client.get(
        reverse("reporting:chart", args=["budget_burndown"]), _custom(programme, date_from, date_to)
    )
    assert response.status_code == 400


@pytest.mark.parametrize(("date_from", "date_to"), BAD_PERIODS)
def test_report_request_shows_the_form_error(programme, funder_client, date_from, date_to):
    response = funder_client.post(
        reverse("reporting:create"), {**_custom(programme, date_from, date_to), "kind": "indicators", "language": "de"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Report.objects.exists()


def test_edges_of_the_range_give_figures(programme, funder_client):
    response = funder_client.get(reverse("reporting:dashboard"), _custom(programme, "1990-01-01", "2100-12-31"))
    assert response.status_code == 200
    assert {row.key: row.period for row in response.context["data"]["indicators"]}["supported"] == 4
    export = funder_client.get(
        reverse("reporting:export", args=["indicators", "csv"]), _custom(programme, "1990-01-01", "2100-12-31")
    )
    assert export.status_code == 200
