"""What the broker lost is sent again within minutes.

With the broker unreachable when a request commits, its task is logged and not sent
(digitalfabrik.queueing); a worker that dies may lose one too. The data tells what is missing, so
this sweep (every two minutes, Celery beat) sends again: pending outbox mails that are due, approved
vouchers whose documents no worker has made, and reports queued that no worker has started.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from innoscheck import services as innoscheck_services
from reporting import services as reporting_services

from .outbox import outbox_requeue_pending


def sweep_undelivered(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    waited = datetime.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER)
    return {
        "mails": outbox_requeue_pending(now=now),
        "vouchers": innoscheck_services.vouchers_resend_missing_documents(before=now - waited),
        "reports": reporting_services.reports_resend_waiting(now=now, waited=waited),
    }
