import datetime
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.tests.factories import FunderFactory, StaffFactory
from programme.tests.factories import FundingPhaseFactory
from reporting import services
from reporting.models import PeriodPreset, Report, ReportEvent, ReportKind, ReportStatus
from reporting.periods import period_for, previous_quarter

from .conftest import Q1
from .factories import ReportFactory, failed_report, finished_report

pytestmark = pytest.mark.django_db


def test_request_queues_the_report_and_sends_the_task_after_commit(programme, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.report_request(
            by=staff, kind=ReportKind.FINANCIAL, phase=programme, period_start=Q1.start, period_end=Q1.end
        )
    assert report.status == ReportStatus.QUEUED
    assert len(callbacks) == 1
    assert ReportEvent.objects.get(report=report).to_state == ReportStatus.QUEUED


def test_request_rejects_a_period_ending_before_it_starts(programme):
    with pytest.raises(ValidationError):
        services.report_request(
            by=StaffFactory(), kind=ReportKind.INDICATORS, phase=programme, period_start=Q1.end, period_end=Q1.start
        )
    assert not Report.objects.exists()


def test_build_is_idempotent_a_done_report_is_left_alone(programme):
    report = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    services.report_build(report_id=report.pk)
    report.refresh_from_db()
    checksum, events = report.checksum, report.events.count()
    assert report.status == ReportStatus.DONE and report.attempts == 1
    assert services.report_build(report_id=report.pk) is None
    report.refresh_from_db()
    assert (report.checksum, report.events.count(), report.attempts) == (checksum, events, 1)


def test_build_stops_at_its_deadline_even_if_the_time_limit_signal_was_swallowed(programme):
    report = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    with pytest.raises(SoftTimeLimitExceeded):
        services.report_build(report_id=report.pk, deadline=time.monotonic() - 1)
    report.refresh_from_db()
    assert report.status != ReportStatus.DONE
    assert not report.file


def test_build_gives_up_after_the_maximum_of_attempts(programme):
    report = ReportFactory(phase=programme)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING, attempts=services.MAX_ATTEMPTS)
    assert services.report_build(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert str(services.MAX_ATTEMPTS) in report.failure_reason


def test_retry_requeues_only_failed_reports(programme, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    report = failed_report(phase=programme)
    with django_capture_on_commit_callbacks() as callbacks:
        services.report_retry(report=report, by=staff)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.failure_reason == "" and len(callbacks) == 1
    with pytest.raises(ValidationError):
        services.report_retry(report=finished_report(phase=programme), by=staff)


def test_fail_does_not_touch_a_finished_report(programme):
    report = finished_report(phase=programme)
    services.report_fail(report_id=report.pk, reason="late")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_sweep_marks_reports_without_sign_of_life_failed(programme, settings):
    stale = ReportFactory(phase=programme)
    fresh = ReportFactory(phase=programme)
    now = timezone.now()
    Report.objects.filter(pk=stale.pk).update(
        status=ReportStatus.RENDERING, heartbeat_at=now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 120)
    )
    Report.objects.filter(pk=fresh.pk).update(status=ReportStatus.COLLECTING, heartbeat_at=now)
    assert services.reports_sweep_stale(now=now) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == ReportStatus.FAILED and stale.failure_reason
    assert fresh.status == ReportStatus.COLLECTING


def test_quarterly_report_covers_the_quarter_just_ended_and_mails_the_funders(django_capture_on_commit_callbacks):
    phase = FundingPhaseFactory(start=datetime.date(2025, 1, 1), end=datetime.date(2027, 12, 31))
    funder = FunderFactory(email="richter@bezreg.example", language="de")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.quarterly_report_request(today=datetime.date(2026, 4, 1))
    report.refresh_from_db()
    assert (report.period_start, report.period_end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert report.phase == phase and report.requested_by is None and report.preset == PeriodPreset.QUARTER
    assert report.status == ReportStatus.DONE, report.failure_reason
    assert [message.to for message in mail.outbox] == [[funder.email]]
    assert f"/reports/{report.pk}/" in mail.outbox[0].body
    assert "ist fertig" in mail.outbox[0].subject
    # The beat may fire twice; the same quarter is not reported twice.
    assert services.quarterly_report_request(today=datetime.date(2026, 4, 1)) == report


def test_quarterly_report_needs_a_running_phase():
    assert services.quarterly_report_request(today=datetime.date(2030, 1, 1)) is None


@pytest.mark.parametrize(
    ("preset", "year", "part", "expected"),
    [
        (PeriodPreset.QUARTER, 2026, 2, (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))),
        (PeriodPreset.QUARTER, 2026, 4, (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))),
        (PeriodPreset.HALF_YEAR, 2026, 2, (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))),
        (PeriodPreset.YEAR, 2025, None, (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))),
        (PeriodPreset.PHASE, None, None, (datetime.date(2025, 1, 1), datetime.date(2027, 12, 31))),
    ],
)
def test_period_presets(programme, preset, year, part, expected):
    period = period_for(preset=preset, phase=programme, year=year, part=part)
    assert (period.start, period.end) == expected


def test_previous_quarter_wraps_the_year():
    period = previous_quarter(datetime.date(2026, 1, 1))
    assert (period.start, period.end) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))


def test_task_records_an_error_on_the_report_instead_of_raising(programme, monkeypatch):
    from reporting import pdf
    from reporting.tasks import render_report

    def broken(**kwargs):
        raise RuntimeError("Schrift fehlt")

    monkeypatch.setattr(pdf, "render_body_pdf", broken)
    report = ReportFactory(phase=programme)
    assert render_report.delay(report.pk).get() == ReportStatus.FAILED
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "Schrift fehlt" in report.failure_reason


def test_an_error_past_the_soft_time_limit_is_reported_as_the_time_limit(programme, monkeypatch):
    """Celery's soft limit strikes wherever the worker is, and a library that catches it (WeasyPrint,
    psycopg) raises an error of its own instead. Past the limit the user reads what stopped the report."""
    from reporting import pdf
    from reporting.tasks import render_report

    def interrupted(**kwargs):
        time.sleep(1.5)
        raise RuntimeError("interrupted")

    monkeypatch.setattr(pdf, "render_body_pdf", interrupted)
    monkeypatch.setattr(render_report, "soft_time_limit", 1)
    report = ReportFactory(phase=programme)
    with translation.override("en"):
        render_report.delay(report.pk).get()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.failure_reason == "The report took longer than its time limit and was stopped."


def test_beat_schedules_the_quarterly_report_and_the_sweep(settings):
    from digitalfabrik.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    quarterly = schedule["reporting-quarterly-report"]
    assert quarterly["task"] in app.tasks and schedule["reporting-sweep-stale-reports"]["task"] in app.tasks
    due = quarterly["schedule"]
    assert due.day_of_month == {1} and due.month_of_year == {1, 4, 7, 10}


def test_reports_waiting_too_long_are_sent_again_and_built(programme):
    waiting = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    recent = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    Report.objects.filter(pk=waiting.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=2))
    assert services.reports_resend_waiting() == [waiting.pk]
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert waiting.status == ReportStatus.DONE  # tasks run eagerly in tests
    assert recent.status == ReportStatus.QUEUED


def test_annex_parts_no_running_build_needs_are_removed(programme):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    running = ReportFactory(phase=programme, period_start=Q1.start, period_end=Q1.end)
    Report.objects.filter(pk=running.pk).update(status=ReportStatus.RENDERING, attempts=2)
    kept = f"reports/parts/{running.pk}-2/part-0000.pdf"
    earlier_attempt = f"reports/parts/{running.pk}-1/part-0000.pdf"
    finished = f"reports/parts/{running.pk + 1000}-1/part-0003.html"
    for name in (kept, earlier_attempt, finished):
        default_storage.save(name, ContentFile(b"%PDF-"))

    assert services.reports_remove_partial_files() == 2
    assert default_storage.exists(kept)
    assert not default_storage.exists(earlier_attempt) and not default_storage.exists(finished)
    assert default_storage.listdir("reports/parts")[0] == [f"{running.pk}-2"]


def test_sweep_task_runs_all_housekeeping(programme):
    from reporting.tasks import sweep_stale_reports

    assert sweep_stale_reports.delay().get() == 0
