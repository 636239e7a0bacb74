"""Thin Celery tasks: load by id, call a service."""

import datetime

from celery import shared_task

from digitalfabrik.schedule import every, run_once_per_slot

from . import outbox, services, sweep


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_mail(self, mail_id: int) -> str:
    """Send one outbox mail; a temporary SMTP failure is tried again after its backoff.

    Run eagerly (tests, CELERY_TASK_ALWAYS_EAGER) the retry is left to the sweep rather than run at
    once in the caller's request. The row counts the attempts and gives up after OUTBOX_MAX_ATTEMPTS.
    """
    result = outbox.outbox_deliver(mail_id=mail_id)
    if result == outbox.RETRY and not self.request.is_eager:
        attempts = outbox.OutboxMail.objects.values_list("attempts", flat=True).get(pk=mail_id)
        raise self.retry(countdown=outbox.backoff(attempts).total_seconds())
    return result


@shared_task
@run_once_per_slot(every(datetime.timedelta(minutes=2)))
def sweep_undelivered() -> dict | None:
    """Periodic (Celery beat): send again what no worker has taken (see notifications.sweep)."""
    return sweep.sweep_undelivered()


@shared_task
@run_once_per_slot(every(datetime.timedelta(hours=24)))
def send_digests() -> int | None:
    """Periodic (Celery beat, 07:00 Europe/Berlin): each person's daily digest, in their language."""
    return services.digests_send()
