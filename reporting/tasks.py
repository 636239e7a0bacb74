"""Thin Celery tasks: load by primary key, call a service. ``render_*`` tasks go to the "pdf" queue."""

import datetime
import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from digitalfabrik.schedule import every, quarter, run_once_per_slot

from . import services
from .models import ReportStatus

logger = logging.getLogger(__name__)


def _drop_connection_outside_transactions() -> None:
    """A time limit or an error can strike in the middle of a query and leave the worker's connection
    unusable: the failure is then recorded on a fresh one, or the report would stay "collecting"
    until the sweep. (Run eagerly inside a transaction, the connection is the caller's and stays.)"""
    if not connection.in_atomic_block:
        connection.close()


def _time_limit_reason() -> str:
    return _("The report took longer than its time limit and was stopped.")


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
)
def render_report(self, report_id: int) -> str | None:
    _hard, soft = self.request.timelimit or (None, None)
    soft = soft or self.soft_time_limit
    deadline = time.monotonic() + soft if soft else None
    try:
        report = services.report_build(report_id=report_id, deadline=deadline, renderer=self.request.hostname or "")
    except SoftTimeLimitExceeded:
        _drop_connection_outside_transactions()
        services.report_fail(report_id=report_id, reason=_time_limit_reason())
        return None
    except Exception as error:
        # Recorded on the report (shown to the user, who can retry it) rather than raised: a report that
        # cannot be built must not take down the caller of an eagerly run task.
        logger.exception("report %s failed", report_id)
        _drop_connection_outside_transactions()
        if deadline is not None and time.monotonic() > deadline:
            # Past the soft limit: the limit's signal struck inside a library that raised its own error
            # instead (WeasyPrint, psycopg); the user is told what stopped the report.
            services.report_fail(report_id=report_id, reason=_time_limit_reason())
            return None
        services.report_fail(report_id=report_id, reason=_("Building the report failed: %(e)s") % {"e": error})
        return ReportStatus.FAILED
    return report.status if report else None


@shared_task
@run_once_per_slot(every(datetime.timedelta(minutes=5)))
def sweep_stale_reports() -> int | None:
    services.reports_resend_waiting()
    services.reports_remove_partial_files()
    return services.reports_sweep_stale()


@shared_task
@run_once_per_slot(quarter)
def request_quarterly_report() -> int | None:
    report = services.quarterly_report_request(today=timezone.localdate())
    return report.pk if report else None


@shared_task(soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT, time_limit=settings.REPORT_TIME_LIMIT)
def render_report_part(report_id: int, attempt: int, index: int) -> bool:
    """One annex part of a report another worker is building (it renders the part itself if this is lost)."""
    return services.report_part_render(
        report_id=report_id, attempt=attempt, index=index, renderer=render_report_part.request.hostname or ""
    )
