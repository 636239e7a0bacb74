"""Every write of the reporting app: requesting, building, failing, retrying and downloading reports."""

import datetime
import hashlib
import logging
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from digitalfabrik.mail import absolute_url, send_templated_mail
from programme.models import FundingPhase

from .models import (
    FINISHED_STATUSES,
    RUNNING_STATUSES,
    PeriodPreset,
    Report,
    ReportDownload,
    ReportEvent,
    ReportKind,
    ReportStatus,
    report_file_path,
)
from .periods import previous_quarter

logger = logging.getLogger(__name__)

# A report delivered again after its worker died is given up after this many starts.
MAX_ATTEMPTS = 3
# Namespace of the PostgreSQL advisory locks that keep two workers off the same report.
_LOCK_NAMESPACE = 4_711
QUEUED_RESEND_AFTER = datetime.timedelta(hours=1)


def _transition(*, report: Report, to: str, by=None, note: str = "", **fields) -> Report:
    """Move ``report`` (locked by the caller) to status ``to`` and write the audit entry."""
    previous = report.status
    report.status = to
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    ReportEvent.objects.create(report=report, by=by, from_state=previous, to_state=to, note=note)
    return report


def report_request(
    *,
    by: User | None,
    kind: str,
    phase: FundingPhase,
    period_start: datetime.date,
    period_end: datetime.date,
    preset: str = PeriodPreset.CUSTOM,
    language: str = "de",
    notify_funders: bool = False,
) -> Report:
    """Queue a report; the PDF worker picks it up once the transaction has committed."""
    from .tasks import render_report

    report = Report(
        kind=kind,
        phase=phase,
        preset=preset,
        period_start=period_start,
        period_end=period_end,
        language=language,
        requested_by=by,
        notify_funders=notify_funders,
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        ReportEvent.objects.create(report=report, by=by, to_state=ReportStatus.QUEUED, note=_("Requested"))
        render_report.delay_on_commit(report.pk)
    return report


def report_retry(*, report: Report, by: User) -> Report:
    """Queue a failed report again."""
    from .tasks import render_report

    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.FAILED:
            raise ValidationError(_("Only a failed report can be retried."))
        _transition(
            report=report, to=ReportStatus.QUEUED, by=by, note=_("Retry requested"), failure_reason="", attempts=0
        )
        render_report.delay_on_commit(report.pk)
    return report


def report_fail(*, report_id: int, reason: str) -> Report | None:
    """Mark an unfinished report failed; a finished one is left as it is."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in FINISHED_STATUSES:
            return report
        return _transition(
            report=report, to=ReportStatus.FAILED, note=reason, failure_reason=reason, finished_at=timezone.now()
        )


def report_download_log(*, report: Report, by: User) -> ReportDownload:
    return ReportDownload.objects.create(report=report, user=by)


@contextmanager
def _exclusive(report_id: int):
    """Yield True if this process may build the report: no other live worker holds its lock.

    A PostgreSQL session lock dies with its connection, so the lock of a killed worker is gone at
    once and the redelivered task can take over. Other databases (SQLite in development) run tasks
    eagerly in one process and need no lock.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, report_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, report_id])


def _claim(report_id: int) -> Report | None:
    """Start (or restart after a crash) building the report; None if there is nothing to do."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in FINISHED_STATUSES:
            return None
        if report.attempts >= MAX_ATTEMPTS:
            _transition(
                report=report,
                to=ReportStatus.FAILED,
                note=_("Gave up after %(n)s attempts") % {"n": report.attempts},
                failure_reason=_("The report could not be built in %(n)s attempts; the worker stopped each time.")
                % {"n": report.attempts},
                finished_at=timezone.now(),
            )
            return None
        now = timezone.now()
        note = _("Started") if report.attempts == 0 else _("Restarted after an interrupted attempt")
        return _transition(
            report=report,
            to=ReportStatus.COLLECTING,
            note=note,
            attempts=report.attempts + 1,
            started_at=now,
            heartbeat_at=now,
        )


def _advance(report: Report, to: str) -> None:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        _transition(report=locked, to=to, heartbeat_at=timezone.now())
    report.status = to


def _partial_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / "partial"


def _store(report: Report, pdf: bytes) -> tuple[str, str]:
    """Write the PDF atomically to its one fixed path; return (relative name, sha256)."""
    name = report_file_path(report, "")
    target = Path(settings.MEDIA_ROOT) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial_dir = _partial_dir()
    partial_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=partial_dir, suffix=".pdf", delete=False) as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, target)
    return name, hashlib.sha256(pdf).hexdigest()


def _check_deadline(deadline: float | None) -> None:
    """Honour the task's soft time limit at each step, even where a library swallowed its signal.

    Celery raises SoftTimeLimitExceeded wherever the worker happens to be; WeasyPrint catches
    exceptions while it loads images, so a limit that strikes there would otherwise go unnoticed.
    """
    if deadline is not None and time.monotonic() > deadline:
        raise SoftTimeLimitExceeded


def report_build(*, report_id: int, deadline: float | None = None) -> Report | None:
    """Collect the data, render the PDF and store it. Safe to run again for the same report.

    ``deadline`` is a time.monotonic() value past which the build stops with SoftTimeLimitExceeded.
    """
    from . import pdf, selectors

    with _exclusive(report_id) as acquired:
        if not acquired:
            logger.info("report %s is being built by another worker", report_id)
            return None
        report = _claim(report_id)
        if report is None:
            return None
        timings = {}
        started = time.monotonic()
        with translation.override(report.language):
            data = selectors.report_data(report=report)
            timings["collect"] = round(time.monotonic() - started, 3)
            _check_deadline(deadline)
            _advance(report, ReportStatus.RENDERING)
            rendered = pdf.render_report_pdf(report=report, data=data)
        timings.update(rendered.timings)
        _check_deadline(deadline)
        name, checksum = _store(report, rendered.content)
        timings["total"] = round(time.monotonic() - started, 3)
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report_id)
            if locked.status in FINISHED_STATUSES:
                return locked
            _transition(
                report=locked,
                to=ReportStatus.DONE,
                note=_("%(pages)s pages") % {"pages": rendered.page_count},
                file=name,
                checksum=checksum,
                size=len(rendered.content),
                page_count=rendered.page_count,
                timings=timings,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if locked.notify_funders:
                transaction.on_commit(lambda: report_notify_funders(report=locked))
        return locked


def report_notify_funders(*, report: Report) -> None:
    """E-mail every active funder a link to the finished report, each in their language."""
    link = absolute_url(reverse("reporting:detail", kwargs={"pk": report.pk}))
    for funder in User.objects.filter(role=Role.FUNDER, is_active=True).order_by("pk"):
        send_templated_mail(
            to=[funder.email],
            template="reporting/mail/report_ready",
            context={"report": report, "link": link, "user": funder},
            language=funder.language,
        )


def reports_remove_partial_files(*, now: datetime.datetime | None = None) -> int:
    """Delete half-written PDFs that a worker killed while writing left behind (older than a day)."""
    cutoff = (now or timezone.now()).timestamp() - 24 * 60 * 60
    removed = 0
    for path in _partial_dir().glob("*.pdf"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def reports_resend_waiting(*, now: datetime.datetime | None = None) -> list[int]:
    """Send the task again for reports queued for over an hour (a lost message); a duplicate does nothing."""
    from .tasks import render_report

    now = now or timezone.now()
    waiting = list(
        Report.objects.filter(status=ReportStatus.QUEUED, requested_at__lt=now - QUEUED_RESEND_AFTER).values_list(
            "pk", flat=True
        )
    )
    for report_id in waiting:
        render_report.delay(report_id)
    return waiting


def reports_sweep_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed every report that shows no sign of life for longer than the hard time limit."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
    stale = Report.objects.filter(status__in=RUNNING_STATUSES, heartbeat_at__lt=limit).values_list("pk", flat=True)
    count = 0
    for report_id in stale:
        report = report_fail(
            report_id=report_id,
            reason=_("The worker stopped without finishing the report (time limit exceeded or worker lost)."),
        )
        count += report is not None and report.status == ReportStatus.FAILED
    return count


def quarterly_report_request(*, today: datetime.date) -> Report | None:
    """The scheduled indicator report for the quarter just ended, in the phase running today."""
    phase = FundingPhase.objects.running(today=today)
    if phase is None:
        return None
    quarter = previous_quarter(today)
    start, end = max(quarter.start, phase.start), quarter.end
    if end < start:
        return None
    existing = Report.objects.filter(
        kind=ReportKind.INDICATORS, phase=phase, period_start=start, period_end=end, requested_by__isnull=True
    ).first()
    if existing:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        return report_request(
            by=None,
            kind=ReportKind.INDICATORS,
            phase=phase,
            period_start=start,
            period_end=end,
            preset=PeriodPreset.QUARTER,
            language=settings.LANGUAGE_CODE,
            notify_funders=True,
        )
