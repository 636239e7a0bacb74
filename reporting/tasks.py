"""Thin Celery tasks: load by primary key, call a service. ``render_*`` tasks go to the "pdf" queue."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import ReportStatus

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
)
def render_report(report_id: int) -> str | None:
    try:
        report = services.report_build(report_id=report_id)
    except SoftTimeLimitExceeded:
        # The limit can strike in the middle of a query and leave the connection unusable: record the
        # failure on a fresh one, or the report would stay "collecting" until the sweep.
        connection.close()
        services.report_fail(
            report_id=report_id,
            reason=_("The report took longer than its time limit and was stopped."),
        )
        return None
    except Exception as error:
        # Recorded on the report (shown to the user, who can retry it) rather than raised: a report that
        # cannot be built must not take down the caller of an eagerly run task.
        logger.exception("report %s failed", report_id)
        connection.close()
        services.report_fail(report_id=report_id, reason=_("Building the report failed: %(e)s") % {"e": error})
        return ReportStatus.FAILED
    return report.status if report else None


@shared_task
def sweep_stale_reports() -> int:
    services.reports_resend_waiting()
    services.reports_remove_partial_files()
    return services.reports_sweep_stale()


@shared_task
def request_quarterly_report() -> int | None:
    report = services.quarterly_report_request(today=timezone.localdate())
    return report.pk if report else None
