"""Every write of the reporting app: requesting, building, failing, retrying and downloading reports."""

import datetime
import hashlib
import json
import logging
import socket
import tempfile
import time
from contextlib import contextmanager, suppress

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from accounts.models import Role, User
from digitalfabrik.mail import absolute_url, send_templated_mail
from digitalfabrik.queueing import send_on_commit, send_task
from programme.models import FundingPhase

from .models import (
    FINISHED_STATUSES,
    RUNNING_STATUSES,
    PeriodPreset,
    Report,
    ReportDownload,
    ReportKind,
    ReportStatus,
    report_file_path,
)
from .periods import previous_quarter
from .workflow import REPORT

logger = logging.getLogger(__name__)

# A report delivered again after its worker died is given up after this many starts.
MAX_ATTEMPTS = 3
# Namespace of the PostgreSQL advisory locks that keep two workers off the same report.
_LOCK_NAMESPACE = 4_711
QUEUED_RESEND_AFTER = datetime.timedelta(hours=1)
# A queued report no worker has started after this long is shown as waiting for a worker (with a retry).
WAITING_FOR_WORKER_AFTER = datetime.timedelta(minutes=2)


def _transition(*, report: Report, action: str, by=None, note: str = "", **fields) -> Report:
    """Take step ``action`` of ``report`` (locked by the caller) and write the audit entry."""
    REPORT.apply(report, action, by=by, note=note, **fields)
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
        REPORT.created(report, "request", by=by, note=pgettext("report", "Requested"))
        send_on_commit(render_report, report.pk)
    return report


def report_retry(*, report: Report, by: User) -> Report:
    """Queue a failed report again."""
    from .tasks import render_report

    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _transition(report=report, action="retry", by=by, note=_("Retry requested"), failure_reason="", attempts=0)
        send_on_commit(render_report, report.pk)
    return report


def report_waiting_for_worker(report: Report, *, now: datetime.datetime | None = None) -> bool:
    """Queued, and no worker has started it for WAITING_FOR_WORKER_AFTER (broker or workers down)."""
    now = now or timezone.now()
    return report.status == ReportStatus.QUEUED and report.requested_at < now - WAITING_FOR_WORKER_AFTER


def report_send_again(*, report: Report) -> bool:
    """Send the task of a report waiting for a worker once more (a duplicate does nothing); False if the
    broker cannot be reached (the delivery sweep keeps trying)."""
    from .tasks import render_report

    return report_waiting_for_worker(report) and send_task(render_report, report.pk)


def report_fail(*, report_id: int, reason: str) -> Report | None:
    """Mark an unfinished report failed; a finished one is left as it is."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in FINISHED_STATUSES:
            return report
        return _transition(report=report, action="fail", note=reason, failure_reason=reason, finished_at=timezone.now())


def report_download_log(*, report: Report, by: User) -> ReportDownload:
    return ReportDownload.objects.create(report=report, user=by)


class ReportFileMissing(Exception):
    """The report has no stored file (any more)."""


class ReportFileCorrupt(Exception):
    """The stored file differs from the one built: its SHA-256 is not the checksum taken then."""


# Up to this size a verified report is held in memory on its way to the browser, above in a temporary file.
_VERIFIED_IN_MEMORY = 8 * 1024 * 1024


def report_file_open_verified(*, report: Report):
    """The stored PDF, read once through its SHA-256 and compared with the checksum taken when it was
    built; a copy (rewound) to send only if they match, so a changed or damaged file is never served."""
    if not report.file:
        raise ReportFileMissing(report.pk)
    try:
        source = _storage().open(report.file.name, "rb")
    except FileNotFoundError:
        raise ReportFileMissing(report.pk) from None
    digest = hashlib.sha256()
    copy = tempfile.SpooledTemporaryFile(max_size=_VERIFIED_IN_MEMORY)  # noqa: SIM115 - returned open
    with source:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
            copy.write(chunk)
    if digest.hexdigest() != report.checksum:
        copy.close()
        logger.error(
            "report %s: stored file %s has SHA-256 %s, the report's checksum is %s; not served",
            report.pk,
            report.file.name,
            digest.hexdigest(),
            report.checksum,
        )
        raise ReportFileCorrupt(report.pk)
    copy.seek(0)
    return copy


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
                action="fail",
                note=ngettext("Gave up after %(n)s attempt", "Gave up after %(n)s attempts", report.attempts)
                % {"n": report.attempts},
                failure_reason=ngettext(
                    "The report could not be built in %(n)s attempt; the worker stopped.",
                    "The report could not be built in %(n)s attempts; the worker stopped each time.",
                    report.attempts,
                )
                % {"n": report.attempts},
                finished_at=timezone.now(),
            )
            return None
        now = timezone.now()
        note = _("Started") if report.attempts == 0 else _("Restarted after an interrupted attempt")
        return _transition(
            report=report,
            action="start" if report.status == ReportStatus.QUEUED else "restart",
            note=note,
            attempts=report.attempts + 1,
            started_at=now,
            heartbeat_at=now,
        )


def _advance(report: Report, action: str) -> None:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        _transition(report=locked, action=action, heartbeat_at=timezone.now())
    report.refresh_from_db(fields=["status", "heartbeat_at"])


def _storage():
    return Report._meta.get_field("file").storage


def _store(report: Report, pdf: bytes) -> tuple[str, str]:
    """Store the PDF under the report's one fixed name (through the storage: local disk or the bucket);
    return (storage name, sha256). A file an interrupted attempt left there is replaced."""
    storage = _storage()
    name = report_file_path(report, "")
    storage.delete(name)
    return storage.save(name, ContentFile(pdf)), hashlib.sha256(pdf).hexdigest()


def _check_deadline(deadline: float | None) -> None:
    """Honour the task's soft time limit at each step, even where a library swallowed its signal.

    Celery raises SoftTimeLimitExceeded wherever the worker happens to be; WeasyPrint catches
    exceptions while it loads images, so a limit that strikes there would otherwise go unnoticed.
    """
    if deadline is not None and time.monotonic() > deadline:
        raise SoftTimeLimitExceeded


def report_build(*, report_id: int, deadline: float | None = None, renderer: str = "") -> Report | None:
    """Collect the data, render the PDF and store it. Safe to run again for the same report.

    The annex parts are offered to every PDF worker (one ``render_report_part`` task each) and their
    PDFs meet in the storage, so workers on different machines share a long annex; this worker
    renders whatever part nobody has started (see ``_render_parts``). ``deadline`` is a
    time.monotonic() value past which the build stops with SoftTimeLimitExceeded; ``renderer``
    names this worker in the report's timings.
    """
    from . import pdf, selectors

    renderer = renderer or socket.gethostname()
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
            _advance(report, "render")
            step = time.monotonic()
            parts = pdf.annex_parts_html(report=report, data=data)
            timings["annex_html"] = round(time.monotonic() - step, 3)
            content, page_count = _render_parts(
                report=report, data=data, parts=parts, deadline=deadline, renderer=renderer, timings=timings
            )
        _check_deadline(deadline)
        name, checksum = _store(report, content)
        _remove_parts(report.pk, report.attempts)
        timings["total"] = round(time.monotonic() - started, 3)
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report_id)
            if locked.status in FINISHED_STATUSES:
                return locked
            _transition(
                report=locked,
                action="finish",
                note=_("%(pages)s pages") % {"pages": page_count},
                file=name,
                checksum=checksum,
                size=len(content),
                page_count=page_count,
                timings=timings,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if locked.notify_funders:
                transaction.on_commit(lambda: report_notify_funders(report=locked))
        return locked


# --- Annex parts, rendered by any worker and joined through the storage ---------------------------

PARTS_DIRECTORY = "reports/parts"
# PostgreSQL advisory locks on one 64-bit key per (report, part); a space of their own, apart from
# the two-key report locks above.
_PART_LOCK_BASE = 0x4712 << 48
_PART_POLL_SECONDS = 0.05


def _part_name(report_id: int, attempt: int, index: int, extension: str) -> str:
    return f"{PARTS_DIRECTORY}/{report_id}-{attempt}/part-{index:04d}.{extension}"


@contextmanager
def _part_lock(report_id: int, index: int):
    """Yield True if no other live worker is rendering this part (the lock dies with a killed worker)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _PART_LOCK_BASE + (report_id << 16) + index
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _render_part_unlocked(*, report_id: int, attempt: int, index: int, renderer: str) -> bool:
    """Render one part (its lock held) unless it is done already; True if this call rendered it."""
    from .pdf_worker import html_to_pdf

    storage = _storage()
    pdf_name = _part_name(report_id, attempt, index, "pdf")
    if storage.exists(pdf_name):
        return False
    with storage.open(_part_name(report_id, attempt, index, "html"), "rb") as source:
        html = source.read().decode()
    started = time.monotonic()
    content = html_to_pdf(html)
    seconds = round(time.monotonic() - started, 3)
    # Who rendered it, written before the PDF: a part whose PDF exists always has it.
    storage.delete(_part_name(report_id, attempt, index, "json"))
    storage.save(
        _part_name(report_id, attempt, index, "json"),
        ContentFile(json.dumps({"renderer": renderer, "seconds": seconds}).encode()),
    )
    storage.save(pdf_name, ContentFile(content))
    return True


def report_part_render(*, report_id: int, attempt: int, index: int, renderer: str) -> bool:
    """Render annex part ``index`` of attempt ``attempt`` of a report being built, if nobody has.

    The task of another worker calls this; so does the building worker for any part nobody has
    started. Returns True if this call rendered the part.
    """
    if not Report.objects.filter(pk=report_id, status=ReportStatus.RENDERING, attempts=attempt).exists():
        return False
    with _part_lock(report_id, index) as acquired:
        if not acquired:
            return False
        if not _storage().exists(_part_name(report_id, attempt, index, "html")):
            return False
        return _render_part_unlocked(report_id=report_id, attempt=attempt, index=index, renderer=renderer)


def _render_parts(
    *, report: Report, data: dict, parts: list[str], deadline: float | None, renderer: str, timings: dict
) -> tuple[bytes, int]:
    """The body here, the annex parts wherever a worker is free; return the joined (PDF, pages).

    The parts' HTML goes to the storage and each part becomes a task on the PDF queue. This worker
    takes the last part first (so it renders at least one whatever the others do), then the body,
    then from the end every part nobody has started; a part another worker is rendering is waited
    for, and rendered here if that worker dies or fails.
    """
    from . import pdf
    from .tasks import render_report_part

    storage = _storage()
    attempt = report.attempts
    _remove_parts(report.pk, attempt)
    for index, html in enumerate(parts):
        storage.save(_part_name(report.pk, attempt, index, "html"), ContentFile(html.encode()))
    if parts and not render_report_part.app.conf.task_always_eager:
        for index in range(len(parts)):
            render_report_part.delay(report.pk, attempt, index)

    def render_here(index: int) -> None:
        _check_deadline(deadline)
        report_part_render(report_id=report.pk, attempt=attempt, index=index, renderer=renderer)

    step = time.monotonic()
    if parts:
        render_here(len(parts) - 1)
    body_pdf, body_pages = pdf.render_body_pdf(report=report, data=data)
    timings["body"] = round(time.monotonic() - step, 3)
    _check_deadline(deadline)

    step = time.monotonic()
    for index in reversed(range(len(parts))):
        render_here(index)
    part_pdfs, renderers = [], {}
    for index in range(len(parts)):
        while True:
            _check_deadline(deadline)
            with _part_lock(report.pk, index) as acquired:
                if acquired:
                    _render_part_unlocked(report_id=report.pk, attempt=attempt, index=index, renderer=renderer)
                    with storage.open(_part_name(report.pk, attempt, index, "pdf"), "rb") as source:
                        part_pdfs.append(source.read())
                    with storage.open(_part_name(report.pk, attempt, index, "json"), "rb") as source:
                        by = json.loads(source.read())["renderer"]
                    renderers[by] = renderers.get(by, 0) + 1
                    break
            time.sleep(_PART_POLL_SECONDS)
    timings["annex"] = round(time.monotonic() - step, 3)
    if not parts:
        return body_pdf, body_pages
    timings["parts"] = len(parts)
    timings["parts_by"] = renderers

    step = time.monotonic()
    joined = pdf.join_pdfs([body_pdf, *part_pdfs])
    timings["join"] = round(time.monotonic() - step, 3)
    return joined


def _remove_parts(report_id: int, attempt: int) -> None:
    storage = _storage()
    directory = f"{PARTS_DIRECTORY}/{report_id}-{attempt}"
    try:
        _directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{directory}/{name}")
    # The local disk keeps the empty directory (a bucket has none).
    with suppress(OSError):
        storage.delete(directory)


def report_notify_funders(*, report: Report) -> None:
    """E-mail every active funder a link to the finished report, each in their language."""
    link = absolute_url(reverse("reporting:detail", kwargs={"pk": report.pk}))
    for funder in User.objects.filter(role=Role.FUNDER, is_active=True).order_by("pk"):
        send_templated_mail(
            to=[funder.email],
            template="reporting/mail/report_ready",
            context={"report": report, "link": link, "user": funder},
            language=funder.language,
            kind="report",
        )


def reports_remove_partial_files() -> int:
    """Delete the annex parts that no running build needs any more (a worker died before cleaning up)."""
    storage = _storage()
    try:
        directories, _files = storage.listdir(PARTS_DIRECTORY)
    except FileNotFoundError:
        return 0
    running = {
        f"{pk}-{attempts}"
        for pk, attempts in Report.objects.filter(status__in=RUNNING_STATUSES).values_list("pk", "attempts")
    }
    removed = 0
    for directory in directories:
        report_id, _, attempt = directory.partition("-")
        if directory in running or not (report_id.isdigit() and attempt.isdigit()):
            continue
        _remove_parts(int(report_id), int(attempt))
        removed += 1
    return removed


def reports_resend_waiting(
    *, now: datetime.datetime | None = None, waited: datetime.timedelta = QUEUED_RESEND_AFTER
) -> list[int]:
    """Send the task again for reports queued for longer than ``waited`` (a lost message, the broker down
    at the request); a duplicate does nothing. Returns the reports sent."""
    from .tasks import render_report

    now = now or timezone.now()
    waiting = list(
        Report.objects.filter(status=ReportStatus.QUEUED, requested_at__lt=now - waited).values_list("pk", flat=True)
    )
    return [report_id for report_id in waiting if send_task(render_report, report_id)]


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
