"""Reports built by REAL Celery worker processes on Redis and the test database.

The worker is started as ``celery -A digitalfabrik worker`` in its own process group, so the test can
kill it (and its pool child) with SIGKILL as a crash or the OOM killer would.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings

from reporting import services
from reporting.models import PeriodPreset, Report, ReportKind, ReportStatus
from reporting.tasks import render_report

from .conftest import Q1, VISIBILITY_TIMEOUT

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(report: Report, statuses, timeout: float) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        time.sleep(0.02)
    raise AssertionError(f"report {report.pk} still {report.status} after {timeout} s")


def test_worker_killed_mid_report_leaves_it_to_a_second_worker_that_finishes_it_once(programme, start_worker):
    from accounts.tests.factories import StaffFactory

    first = start_worker("first")
    report = services.report_request(
        by=StaffFactory(),
        kind=ReportKind.INDICATORS,
        phase=programme,
        period_start=Q1.start,
        period_end=Q1.end,
        preset=PeriodPreset.QUARTER,
    )
    report = _wait_for(report, (ReportStatus.COLLECTING, ReportStatus.RENDERING), timeout=60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    killed_at = time.monotonic()
    report.refresh_from_db()
    assert report.status in (ReportStatus.COLLECTING, ReportStatus.RENDERING)
    assert report.attempts == 1

    # Redis hands an unacknowledged message out again once the visibility timeout has passed.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
    start_worker("second")
    report = _wait_for(report, (ReportStatus.DONE, ReportStatus.FAILED), timeout=90)

    assert report.status == ReportStatus.DONE, report.failure_reason
    assert report.attempts == 2
    files = list((Path(settings.MEDIA_ROOT) / "reports" / str(report.pk)).iterdir())
    assert [file.name for file in files] == [f"report-{report.pk}.pdf"]
    assert report.events.filter(to_state=ReportStatus.DONE).count() == 1
    assert (
        report.events.filter(note__contains="abgebrochenen Versuch").exists()
        or report.events.filter(note__contains="interrupted attempt").exists()
    )


def test_time_limit_marks_the_report_failed_with_a_reason(programme, start_worker):
    from .factories import ReportFactory

    start_worker("limited")
    report = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end, preset=PeriodPreset.QUARTER)
    render_report.apply_async((report.pk,), soft_time_limit=0.2, time_limit=60)
    report = _wait_for(report, (ReportStatus.DONE, ReportStatus.FAILED), timeout=90)
    # It failed once under heavy CPU load and never again: the messages say how, should it recur.
    assert report.status == ReportStatus.FAILED, report.timings
    assert "limit" in report.failure_reason or "Zeitlimit" in report.failure_reason, report.failure_reason
    assert not report.file
