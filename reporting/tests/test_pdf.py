import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from reporting import services
from reporting.models import PeriodPreset, ReportKind, ReportStatus

from .conftest import Q1
from .factories import annex_rows

pytestmark = pytest.mark.django_db


def _text(report) -> str:
    with report.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def staff():
    from accounts.tests.factories import StaffFactory

    return StaffFactory()


def _build(*, staff, phase, kind=ReportKind.INDICATORS, period=Q1, language="de", django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            by=staff,
            kind=kind,
            phase=phase,
            period_start=period.start,
            period_end=period.end,
            preset=PeriodPreset.QUARTER,
            language=language,
        )
    report.refresh_from_db()
    return report


def test_indicator_report_pdf_shows_the_indicator_values(programme, staff, django_capture_on_commit_callbacks):
    report = _build(staff=staff, phase=programme, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.DONE, report.failure_reason
    with report.file.open("rb") as handle:
        content = handle.read()
    assert report.checksum == hashlib.sha256(content).hexdigest()
    assert report.attempts == 1
    text = _text(report)
    assert "Indikatorbericht" in text
    assert "Inhalt" in text and "Seite 2" in text
    assert "01.01.2026 – 31.03.2026" in text
    assert "RCO01" in text and "CO01" in text and "RCO05" in text
    assert "Geförderte Unternehmen 2 2" in text
    assert "12.500,00\u00a0€" in text  # approved amount in Q1, German format
    assert "Alpha Frästechnik GmbH" in text and "Beta Metallbau GmbH" in text
    assert re.search(r"Beta Metallbau GmbH\s+Bochum · Gutschein\s+7.500,00\u00a0€", text)
    assert "Anhang, Seite 1 von 1" in text


def test_english_report_uses_english_labels(programme, staff, django_capture_on_commit_callbacks):
    report = _build(
        staff=staff,
        phase=programme,
        language="en",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    text = _text(report)
    assert "Indicator report" in text and "Enterprises supported 2 2" in text


def test_de_minimis_register_lists_vouchers(programme, staff, django_capture_on_commit_callbacks):
    report = _build(
        staff=staff,
        phase=programme,
        kind=ReportKind.DE_MINIMIS,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    text = _text(report)
    assert "De-minimis-Register" in text
    assert "20.02.2026" in text and "ISR-T-" in text


@pytest.mark.parametrize("mode", ["lines", "parallel"])
def test_annex_rendered_in_parallel_parts_keeps_its_page_numbers(programme, staff, monkeypatch, mode):
    from decimal import Decimal

    from django.utils import translation

    from bench import annex_modes
    from reporting import pdf, selectors
    from reporting.models import Report

    report = Report.objects.create(
        kind=ReportKind.INDICATORS, phase=programme, period_start=Q1.start, period_end=Q1.end, requested_by=staff
    )
    monkeypatch.setattr(pdf, "ANNEX_PAGES_PER_PART", 2)
    with translation.override("de"):
        data = selectors.report_data(report=report)
        data["annex"] = annex_rows(pdf.ANNEX_ROWS_PER_PAGE * 4 + 1, aid=Decimal("1234.5"))
        rendered = annex_modes.render_report_pdf(report=report, data=data, annex_mode=mode)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.content)).pages]
    annex = [text for text in pages if "Anhang, Seite" in text]
    assert len(pages) == rendered.page_count
    assert [f"Anhang, Seite {number} von 5" in text for number, text in enumerate(annex, start=1)] == [True] * 5
    assert "Firma 0000 GmbH" in annex[0] and f"Firma {pdf.ANNEX_ROWS_PER_PAGE * 4:04d} GmbH" in annex[4]
    assert "1.234,50\u00a0€" in annex[0]


def test_financial_report_leads_with_the_budget(programme, staff, django_capture_on_commit_callbacks):
    report = _build(
        staff=staff,
        phase=programme,
        kind=ReportKind.FINANCIAL,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    text = _text(report)
    assert "Finanzbericht" in text
    assert "1 Finanzieller Fortschritt" in text and "2 InnoScheck-Gutscheine" in text
    assert "Output-Indikatoren" not in text
    assert "100.000,00\u00a0€" in text  # the voucher budget


@pytest.mark.parametrize("mode", ["naive", "fixed", "parts"])
def test_benchmark_annex_modes_render_the_annex_too(programme, mode):
    from bench import annex_modes
    from reporting import selectors

    from .factories import ReportFactory

    report = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    rendered = annex_modes.render_report_pdf(report=report, data=selectors.report_data(report=report), annex_mode=mode)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.content)).pages)
    assert "Alpha Frästechnik GmbH" in text and "Beta Metallbau GmbH" in text
