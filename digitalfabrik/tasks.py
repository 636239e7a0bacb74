import datetime

from celery import shared_task

from . import housekeeping
from .schedule import every, run_once_per_slot


@shared_task
@run_once_per_slot(every(datetime.timedelta(hours=24)))
def clean_up() -> dict | None:
    """Periodic (Celery beat, 04:00 Europe/Berlin): expired sessions and old form tokens (see housekeeping)."""
    return housekeeping.clean_up()
