"""Sending Celery tasks so that an unreachable broker never fails the request that queued the work.

``delay_on_commit`` sends in an on-commit callback; with the broker down it raises kombu's
OperationalError there: after the data was committed, as a 500, and the callbacks after it never
run. :func:`send_on_commit` sends the same way but logs the failure instead; the work is not lost,
because what it was about is in the database (an outbox row, an approved voucher without documents,
a queued report) and the delivery sweep (notifications.tasks.sweep_undelivered) sends it again.
"""

import logging
from functools import partial

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def send_task(task: Task, *args) -> bool:
    """``task.delay(*args)``; False (logged) when the broker cannot be reached."""
    try:
        task.delay(*args)
    except OperationalError:
        logger.warning("broker unreachable: %s%r not sent; the delivery sweep sends it later", task.name, args)
        return False
    return True


def send_on_commit(task: Task, *args) -> None:
    """``task.delay_on_commit(*args)`` that survives an unreachable broker (see the module's text)."""
    transaction.on_commit(partial(send_task, task, *args))
