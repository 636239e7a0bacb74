"""A funder in real headless Chromium: two-factor login, start a report, watch it progress, download it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import log_in
from accounts.tests.factories import FunderFactory
from reporting.models import Report, ReportDownload, ReportStatus


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_funder_logs_in_with_two_factors_starts_a_report_sees_progress_and_downloads_it(
    live_server, page, programme, start_worker, tmp_path
):
    funder = FunderFactory(email="richter@bezreg.example")
    start_worker("browser")

    log_in(page, live_server.url, funder)

    page.get_by_role("link", name="Berichte", exact=True).first.click()
    page.get_by_role("link", name="Bericht starten").click()
    page.locator("#id_phase").select_option(str(programme.pk))
    page.locator("#id_preset").select_option("quarter")
    page.get_by_label("Jahr", exact=True).fill("2026")
    page.get_by_label("Quartal oder Halbjahr").fill("1")
    page.get_by_role("button", name="Bericht starten").click()

    status = page.get_by_test_id("report-status")
    expect(status).to_be_visible()
    assert status.get_attribute("data-status") != ReportStatus.DONE  # the worker has not finished yet
    expect(status).to_have_attribute("data-status", ReportStatus.DONE, timeout=90_000)
    expect(status).to_have_text(re.compile("Fertig|Erledigt"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF herunterladen").click()
    path = tmp_path / "bericht.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    report = Report.objects.get()
    assert ReportDownload.objects.filter(report=report, user=funder).count() == 1
