"""Periodic tasks do their work once per slot of their schedule, however many beats send them.

Only one Celery beat should run (docker-compose.yml has one), but a second one started by mistake,
or two during a deploy, would send every periodic task twice. Each periodic task therefore first
claims its slot: a row with a unique (task, slot) in the database all machines share. The first run
inserts it and works; any other run of the same slot finds the row and returns at once.
"""

import datetime
import functools
import logging
import socket
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)

# Claimed slots are kept this long (to look up which machine ran what), then deleted by a later claim.
KEEP = datetime.timedelta(days=14)


def every(interval: datetime.timedelta) -> Callable[[datetime.datetime], datetime.datetime]:
    """Slots of a fixed length counted from the epoch: every(5 minutes) puts 10:07 in the slot of 10:05."""
    seconds = int(interval.total_seconds())

    def slot(now: datetime.datetime) -> datetime.datetime:
        stamp = int(now.timestamp())
        return datetime.datetime.fromtimestamp(stamp - stamp % seconds, tz=datetime.UTC)

    return slot


def quarter(now: datetime.datetime) -> datetime.datetime:
    """The calendar quarter (local time) as the slot."""
    local = timezone.localtime(now)
    return local.replace(month=(local.month - 1) // 3 * 3 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def claim_slot(*, task: str, slot: datetime.datetime) -> bool:
    """True for the first claim of ``task``'s ``slot`` on any machine; False for every later one."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(task=task, slot=slot, worker=socket.gethostname())
    except IntegrityError:
        return False
    ScheduledRun.objects.filter(task=task, slot__lt=slot - KEEP).delete()
    return True


def run_once_per_slot(slot: Callable[[datetime.datetime], datetime.datetime]):
    """Decorate a periodic task's function: it works only in the first run of each slot, else returns None."""

    def decorate(function):
        name = f"{function.__module__}.{function.__name__}"

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            current = slot(timezone.now())
            if not claim_slot(task=name, slot=current):
                logger.info("%s: the slot %s has run already; nothing to do", name, current.isoformat())
                return None
            return function(*args, **kwargs)

        return wrapper

    return decorate
