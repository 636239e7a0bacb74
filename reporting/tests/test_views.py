import csv
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import FunderFactory, StaffFactory
from coaching.models import Session
from reporting.models import Report, ReportDownload, ReportStatus

from .conftest import Q1
from .factories import failed_report, finished_report

pytestmark = pytest.mark.django_db

Q1_FILTER = {"phase": None, "preset": "custom", "date_from": "2026-01-01", "date_to": "2026-03-31"}


@pytest.fixture
def funder_client(client):
    client.force_login(FunderFactory())
    return client


def _filter(programme, **extra):
    return {**Q1_FILTER, "phase": programme.pk, **extra}


def test_funder_starts_a_report_follows_its_progress_and_downloads_it(
    programme, funder_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = funder_client.post(
            reverse("reporting:create"),
            {
                "kind": "indicators",
                "phase": programme.pk,
                "preset": "quarter",
                "year": 2026,
                "part": 1,
                "language": "de",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:detail", args=[report.pk])
    assert (report.period_start, report.period_end) == (Q1.start, Q1.end)

    page = funder_client.get(reverse("reporting:detail", args=[report.pk]))
    assert b"reporting/js/report_status.js" in page.content and b"<script>" not in page.content
    status = funder_client.get(reverse("reporting:status", args=[report.pk])).json()
    assert status["status"] == ReportStatus.DONE and status["finished"]
    assert status["download_url"] == reverse("reporting:download", args=[report.pk])

    download = funder_client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert ReportDownload.objects.filter(report=report).count() == 1


def test_a_report_file_missing_from_the_disk_is_a_404_and_no_download_is_logged(programme, funder_client):
    report = finished_report(phase=programme)
    default_storage.delete(report.file.name)
    assert funder_client.get(reverse("reporting:download", args=[report.pk])).status_code == 404
    assert not ReportDownload.objects.filter(report=report).exists()


def test_quarter_without_its_number_is_refused(programme, funder_client):
    response = funder_client.post(
        reverse("reporting:create"),
        {"kind": "indicators", "phase": programme.pk, "preset": "quarter", "year": 2026, "language": "de"},
    )
    assert response.status_code == 200 and not Report.objects.exists()
    assert response.context["form"].errors["part"]


def test_failed_report_shows_its_reason_and_can_be_retried(programme, client, django_capture_on_commit_callbacks):
    client.force_login(StaffFactory())
    report = failed_report(phase=programme)
    status = client.get(reverse("reporting:status", args=[report.pk])).json()
    assert status["failure_reason"] == "Worker lost" and status["retry_url"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_dashboard_shows_the_indicators_for_the_filtered_period(
    programme, funder_client, django_assert_max_num_queries
):
    # A fixed number, whatever the data: figures, charts, the funding phase and the navigation's bell.
    with django_assert_max_num_queries(33):
        response = funder_client.get(reverse("reporting:dashboard"), _filter(programme))
    content = response.content.decode()
    assert 'data-indicator="supported"' in content
    rows = {row.key: row for row in response.context["data"]["indicators"]}
    assert rows["supported"].period == 2 and rows["grants"].period == 2
    assert reverse("reporting:chart", args=["vouchers_by_topic"]) in content


def test_dashboard_without_filter_shows_the_running_phase(funder_client):
    from programme.tests.factories import FundingPhaseFactory

    phase = FundingPhaseFactory()
    response = funder_client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert response.context["data"]["phase"] == phase


def test_chart_is_svg(programme, funder_client):
    response = funder_client.get(reverse("reporting:chart", args=["companies_by_city"]), _filter(programme))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"Bochum" in response.content


def test_voucher_csv_export_honours_the_period(programme, funder_client):
    response = funder_client.get(reverse("reporting:export", args=["vouchers", "csv"]), _filter(programme))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1 + 3
    assert ["7.500,00" in row for row in rows].count(True) == 1
    q2 = funder_client.get(
        reverse("reporting:export", args=["vouchers", "csv"]),
        _filter(programme, date_from="2026-04-01", date_to="2026-06-30"),
    )
    assert len(b"".join(q2.streaming_content).decode("utf-8-sig").splitlines()) == 1 + 1  # Beta, paid in Q2


def test_xlsx_exports(programme, funder_client):
    response = funder_client.get(reverse("reporting:export", args=["companies", "xlsx"]), _filter(programme))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"Alpha Frästechnik GmbH", "Beta Metallbau GmbH"}
    indicators = funder_client.get(reverse("reporting:export", args=["indicators", "xlsx"]), _filter(programme))
    sheet = load_workbook(io.BytesIO(b"".join(indicators.streaming_content)), read_only=True).active
    assert ("RCO01", "CO01") in {tuple(row[:2]) for row in sheet.iter_rows(values_only=True)}


def test_funders_never_see_internal_notes(programme, funder_client, django_capture_on_commit_callbacks):
    Session.objects.update(internal_notes="VERTRAULICH-intern")
    pages = [
        funder_client.get(reverse("reporting:dashboard"), _filter(programme)).content,
        b"".join(
            funder_client.get(
                reverse("reporting:export", args=["companies", "csv"]), _filter(programme)
            ).streaming_content
        ),
        b"".join(
            funder_client.get(
                reverse("reporting:export", args=["vouchers", "csv"]), _filter(programme)
            ).streaming_content
        ),
    ]
    assert not any(b"VERTRAULICH" in page for page in pages)


def test_a_partners_staff_use_the_figures_but_not_the_reports_that_name_every_partners_companies(client):
    """Reports name companies of the whole programme (annex, de-minimis register, vouchers one by one):
    a partner's staff get the indicator dashboard without the reports; the lead partner's staff get both."""
    from programme.choices import Region
    from programme.tests.factories import ResponsibilityFactory

    report = failed_report()
    partner = ResponsibilityFactory(region=Region.BOCHUM).partner
    client.force_login(StaffFactory(partner=partner))
    dashboard = client.get(reverse("reporting:dashboard"))
    assert dashboard.status_code == 200
    assert f'href="{reverse("reporting:list")}"' not in dashboard.content.decode()
    home = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("reporting:create") not in home
    # The panel promises what they get: the figures and their own companies' exports, no PDF reports.
    assert "voucher and company exports of your companies" in home and "as PDF" not in home
    german = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Gutschein- und Unternehmensexporte Ihrer Unternehmen" in german
    assert client.get(reverse("reporting:list")).status_code == 403
    assert client.get(reverse("reporting:detail", args=[report.pk])).status_code == 403

    client.force_login(StaffFactory())
    dashboard = client.get(reverse("reporting:dashboard"))
    assert f'href="{reverse("reporting:list")}"' in dashboard.content.decode()
    home = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("reporting:create") in home and "reports of the programme as PDF" in home
    assert client.get(reverse("reporting:detail", args=[report.pk])).status_code == 200
