"""Bad input gets a clear, translated error at the field."""

import uuid
from decimal import Decimal

import pytest
from django.utils import translation

from companies.forms import CompanyForm

from .factories import CompanyFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "Ruhr Zerspanung GmbH",
        "legal_form": "gmbh",
        "street": "Rheinlanddamm 201",
        "postcode": "44139",
        "city": "Dortmund",
        "region": "dortmund",
        "chamber": "ihk_do",
        "wz_section": "C",
        "wz_code": "25.62",
        "founding_date": "1998-04-01",
        "staff_headcount": "35",
        "annual_turnover": "1.234.567,89",
        "balance_sheet_total": "987.654,32",
        "website": "",
        "contact_name": "Erika Mustermann",
        "contact_email": "erika@ruhr-zerspanung.example",
        "contact_phone": "",
        "linked_enterprises_included": "on",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def german_form(**overrides):
    with translation.override("de"):
        form = CompanyForm(data=form_data(**overrides))
        form.is_valid()
        return form, {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def test_german_number_formats_are_parsed():
    form, errors = german_form(staff_headcount="12,5")
    assert errors == {}
    assert form.cleaned_data["annual_turnover"] == Decimal("1234567.89")
    assert form.cleaned_data["balance_sheet_total"] == Decimal("987654.32")
    assert form.cleaned_data["staff_headcount"] == Decimal("12.5")


def test_english_number_formats_are_parsed_too():
    with translation.override("en"):
        form = CompanyForm(data=form_data(annual_turnover="1,234,567.89", staff_headcount="12.5"))
        assert form.is_valid(), form.errors
    assert form.cleaned_data["annual_turnover"] == Decimal("1234567.89")


def test_negative_staff_is_an_error_at_the_field():
    _form, errors = german_form(staff_headcount="-3")
    assert errors == {"staff_headcount": ["Dieser Wert muss größer oder gleich 0 sein."]}


def test_postcode_must_have_five_digits():
    _form, errors = german_form(postcode="4413")
    assert errors == {"postcode": ["Bitte geben Sie eine deutsche Postleitzahl mit genau fünf Ziffern ein."]}
    _form, errors = german_form(postcode="44139x")
    assert list(errors) == ["postcode"]


def test_malformed_amount_is_an_error_at_the_field():
    _form, errors = german_form(annual_turnover="1.23.4")
    assert errors == {"annual_turnover": ["Bitte geben Sie eine Zahl ein, z. B. 1.234.567,89."]}


def test_duplicate_name_and_postcode_gets_a_hint_at_the_name():
    CompanyFactory(name="Ruhr Zerspanung GmbH", postcode="44139")
    _form, errors = german_form(name="RUHR ZERSPANUNG GMBH")
    assert list(errors) == ["name"]
    assert "bereits registriert" in errors["name"][0]
    assert "Sie einzuladen" in errors["name"][0]


def test_editing_a_company_does_not_collide_with_itself():
    company = CompanyFactory(name="Ruhr Zerspanung GmbH", postcode="44139")
    with translation.override("de"):
        form = CompanyForm(data=form_data(), instance=company)
        assert form.is_valid(), form.errors


def test_declaration_on_linked_enterprises_is_required():
    data = form_data()
    del data["linked_enterprises_included"]
    with translation.override("de"):
        form = CompanyForm(data=data)
        assert not form.is_valid()
    assert list(form.errors) == ["linked_enterprises_included"]


def test_amounts_are_shown_the_german_way_when_editing():
    company = CompanyFactory(annual_turnover=Decimal("1234567.89"))
    with translation.override("de"):
        html = str(CompanyForm(instance=company)["annual_turnover"])
    assert 'value="1.234.567,89"' in html
    assert 'inputmode="decimal"' in html
