"""Reports and their annex parts in object storage: django-storages against a local S3 server (moto)."""

import hashlib
import io
import logging
import socket
import threading

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from reporting import pdf, selectors, services
from reporting.models import Report, ReportDownload, ReportKind, ReportStatus

from .conftest import Q1
from .factories import ReportFactory, annex_rows, finished_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_annex(monkeypatch):
    """Three annex pages, one part each (so the report is joined from three stored parts)."""
    monkeypatch.setattr(pdf, "ANNEX_PAGES_PER_PART", 1)
    collect = selectors.report_data

    def with_long_annex(*, report):
        data = collect(report=report)
        data["annex"] = annex_rows(pdf.ANNEX_ROWS_PER_PAGE * 2 + 1)
        return data

    monkeypatch.setattr(selectors, "report_data", with_long_annex)


def test_report_parts_meet_in_the_bucket_and_are_removed_once_joined(programme, s3_storage, long_annex):
    report = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end, kind=ReportKind.INDICATORS)
    services.report_build(report_id=report.pk, renderer="worker-a")
    report.refresh_from_db()

    assert report.status == ReportStatus.DONE, report.failure_reason
    assert s3_storage.keys() == [report.file.name] == [f"reports/{report.pk}/report-{report.pk}.pdf"]
    stored = s3_storage.client().get_object(Bucket=s3_storage.bucket, Key=report.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == report.checksum
    assert report.timings["parts"] == 3
    assert report.timings["parts_by"] == {"worker-a": 3}
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages]
    annex = [text for text in pages if "Anhang, Seite" in text]
    assert [f"Anhang, Seite {number} von 3" in text for number, text in enumerate(annex, start=1)] == [True] * 3
    assert "Firma 0000 GmbH" in annex[0] and f"Firma {pdf.ANNEX_ROWS_PER_PAGE * 2:04d} GmbH" in annex[2]


def test_download_streams_the_verified_file_from_the_bucket(client, world, programme, s3_storage):
    report = finished_report(phase=programme)
    client.force_login(world.users["funder"])
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == report.checksum
    assert ReportDownload.objects.filter(report=report, user=world.users["funder"]).count() == 1


def test_a_file_changed_in_the_bucket_is_not_served(client, world, programme, s3_storage, caplog):
    report = finished_report(phase=programme)
    s3_storage.client().put_object(Bucket=s3_storage.bucket, Key=report.file.name, Body=b"%PDF-1.4 tampered")
    client.force_login(world.users["funder"])
    with caplog.at_level(logging.ERROR, logger="reporting.services"):
        response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 500
    assert b"tampered" not in response.content
    assert "checksum" in response.content.decode() or "Prüfsumme" in response.content.decode()
    assert f"report {report.pk}: stored file" in caplog.text and "not served" in caplog.text
    assert not ReportDownload.objects.filter(report=report).exists()


def test_a_file_missing_from_the_bucket_is_a_404(client, world, programme, s3_storage):
    report = finished_report(phase=programme)
    s3_storage.client().delete_object(Bucket=s3_storage.bucket, Key=report.file.name)
    client.force_login(world.users["funder"])
    assert client.get(reverse("reporting:download", args=[report.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_part_another_worker_is_rendering_is_left_to_it(programme, s3_storage):
    """While one worker holds a part's lock (its own database session), nobody else renders that part."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connections

    report = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING, attempts=1)
    html = "<html><body><p>Teil</p></body></html>"
    for index in (0, 1):
        default_storage.save(services._part_name(report.pk, 1, index, "html"), ContentFile(html.encode()))
    holding, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with services._part_lock(report.pk, 0) as acquired:
                assert acquired
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(30)
        assert connection.vendor == "postgresql"
        assert not services.report_part_render(report_id=report.pk, attempt=1, index=0, renderer="here")
        assert services.report_part_render(report_id=report.pk, attempt=1, index=1, renderer="here")
    finally:
        release.set()
        thread.join(30)
    assert s3_storage.keys(f"reports/parts/{report.pk}-1/") == [
        f"reports/parts/{report.pk}-1/part-0000.html",
        f"reports/parts/{report.pk}-1/part-0001.html",
        f"reports/parts/{report.pk}-1/part-0001.json",
        f"reports/parts/{report.pk}-1/part-0001.pdf",
    ]
    # Once the other worker has let go, the part is free again (a dead worker's lock goes with it).
    assert services.report_part_render(report_id=report.pk, attempt=1, index=0, renderer=socket.gethostname())
