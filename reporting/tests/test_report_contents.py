"""What a report says about itself: the data's date, the methodology annex, the voucher list, units."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts.tests.factories import FunderFactory
from reporting import charts, methodology, pdf, selectors
from reporting.indicators import Range
from reporting.models import ReportKind

from .conftest import Q1, Q2
from .factories import ReportFactory

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return re.sub(r"([-/])\s+", r"\1", " ".join(text.replace("\u00a0", " ").split()))


def _render(programme, *, kind=ReportKind.INDICATORS, language="de", period=Q1) -> str:
    report = ReportFactory(
        kind=kind, phase=programme, period_start=period.start, period_end=period.end, language=language
    )
    with translation.override(language):
        data = selectors.report_data(report=report)
        # The body holds every section but the company annex (rendered in parts by the workers).
        content, _pages = pdf.render_body_pdf(report=report, data=data)
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_cover_states_the_date_and_time_of_the_data(programme):
    text = _render(programme)
    cover = text[: text.index("Inhalt")]
    assert re.search(r"Datenstand \d\d\.\d\d\.\d{4} \d\d:\d\d", cover), cover
    assert "Kofinanziert von der Europäischen Union" in cover
    assert "Gefördert durch das Land Nordrhein-Westfalen" in cover


@pytest.mark.parametrize(
    ("language", "title", "new_rule", "labels"),
    [
        (
            "de",
            "Methodischer Anhang",
            "seit weniger als drei Jahren bestanden",
            ("Definition", "Was zählt", "Zeitraum", "Einmal gezählt"),
        ),
        (
            "en",
            "Methodology annex",
            "existed for less than three years",
            ("Definition", "What counts", "Period", "Counted once"),
        ),
    ],
)
def test_methodology_annex_explains_every_indicator_in_the_report_language(
    programme, language, title, new_rule, labels
):
    text = _render(programme, language=language)
    annex = text[text.rindex(title) :]
    assert new_rule in annex
    with translation.override(language):
        for method in methodology.METHODS:
            for part in (method.name, method.definition, method.counts, method.period, method.deduplication):
                assert _flat(str(part)) in annex, part
    for code in ("RCO01 / CO01", "RCO02 / CO02", "RCO04 / CO04", "RCO05 / CO05"):
        assert _flat(code) in annex
    for label in labels:
        assert annex.count(label) >= len(methodology.METHODS)


def test_financial_report_lists_every_voucher(programme):
    text = _render(programme, kind=ReportKind.FINANCIAL)
    section = text[text.rindex("Gutscheine im Einzelnen") : text.rindex("Methodischer Anhang")]
    alpha = re.search(
        r"ISR-T-\d+-0201 Alpha Frästechnik GmbH Bewilligt 01\.02\.2026 20\.02\.2026 – 5\.000,00 € –", section
    )
    # Paid on 20.04.2026: at the end of Q1 the voucher was approved and nothing was paid yet.
    beta = re.search(r"ISR-T-\d+-0301 Beta Metallbau GmbH Bewilligt 01\.03\.2026 15\.03\.2026 – 7\.500,00 € –", section)
    assert alpha and beta, section
    assert "Delta Elektro GmbH" not in section  # rejected, never a voucher
    assert "Summe, 2 Gutscheine 12.500,00 € 0,00 €" in section
    assert "mit Status und Auszahlung zu diesem Tag" in section


def test_financial_report_lists_the_payment_in_the_period_it_happened(programme):
    text = _render(programme, kind=ReportKind.FINANCIAL, period=Range(Q1.start, Q2.end))
    section = text[text.rindex("Gutscheine im Einzelnen") : text.rindex("Methodischer Anhang")]
    beta = re.search(
        r"ISR-T-\d+-0301 Beta Metallbau GmbH Ausgezahlt 01\.03\.2026 15\.03\.2026 20\.04\.2026 7\.500,00 € 7\.500,00 €",
        section,
    )
    assert beta, section
    assert "12.500,00 € 7.500,00 €" in section


def test_indicator_report_has_no_voucher_list(programme):
    assert "Gutscheine im Einzelnen" not in _render(programme)


def test_median_states_its_unit(programme, client):
    text = _render(programme)
    assert "Median der Dauer von Einreichung bis Entscheidung 14,0 Tage" in text
    client.force_login(FunderFactory(language="de"))
    query = {"phase": programme.pk, "preset": "custom", "date_from": "2026-01-01", "date_to": "2026-03-31"}
    page = client.get(reverse("reporting:dashboard"), query, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Median der Dauer von Einreichung bis Entscheidung: 14,0\u00a0Tage" in page or (
        "Median der Dauer von Einreichung bis Entscheidung: 14,0 Tage" in page
    )
    assert "Datenstand" in page


@pytest.mark.parametrize("chart", charts.CHART_NAMES)
def test_empty_charts_say_so_in_german(chart):
    data = {"by_topic": [], "companies_by_city": [], "burndown": []}
    with translation.override("de"):
        svg = charts.render_chart(chart, data)
    assert "Keine Daten" in svg and "No data" not in svg
