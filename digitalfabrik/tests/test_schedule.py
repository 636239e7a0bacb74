"""Periodic tasks work once per slot however many beats send them (real PostgreSQL, concurrent runs)."""

import datetime
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.utils.module_loading import import_string

from digitalfabrik.models import ScheduledRun
from digitalfabrik.schedule import claim_slot, every, quarter

from .concurrency import at_once

BERLIN = ZoneInfo("Europe/Berlin")


def _run_task(task):
    """Run ``task`` here, as a worker would, and return its value.

    ``apply()`` sets Celery's process-wide "a join would block" flag while the task runs, so the
    other thread's ``get()`` must not check it: both results are already there (eager).
    """
    return task.apply().get(disable_sync_subtasks=False)


def _concurrently(function, count: int = 2) -> list:
    """Run ``function`` in ``count`` threads (each with its own database connection) released at once."""
    return at_once(*[function] * count)


def test_slots_on_the_clock():
    five_minutes = every(datetime.timedelta(minutes=5))
    assert five_minutes(datetime.datetime(2026, 3, 2, 10, 7, 59, tzinfo=BERLIN)) == datetime.datetime(
        2026, 3, 2, 10, 5, tzinfo=BERLIN
    )
    hourly = every(datetime.timedelta(hours=1))
    assert hourly(datetime.datetime(2026, 3, 2, 10, 59, tzinfo=BERLIN)) == datetime.datetime(
        2026, 3, 2, 10, 0, tzinfo=BERLIN
    )
    assert quarter(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=BERLIN)) == datetime.datetime(
        2026, 4, 1, tzinfo=BERLIN
    )


def test_periodic_tasks_are_sent_on_the_clock(settings):
    """Every beat sends a task at the same clock time, so two beats hit the same slot."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert isinstance(entry["schedule"], crontab), entry


@pytest.mark.django_db
@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE), ids=str)
def test_every_periodic_task_claims_its_slot_and_a_second_run_does_nothing(entry, caplog):
    """Whatever beat sends, sent twice in one slot (a second beat), works once: no task is left out."""
    name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
    task = import_string(name)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 7, tzinfo=BERLIN), tick=False):
        _run_task(task)
        assert ScheduledRun.objects.filter(task=name).count() == 1
        with caplog.at_level(logging.INFO, logger="digitalfabrik.schedule"):
            assert _run_task(task) is None
    assert ScheduledRun.objects.filter(task=name).count() == 1
    assert f"{name}: the slot" in caplog.text and "has run already" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claims_of_one_slot_let_exactly_one_run():
    slot = datetime.datetime(2026, 3, 2, 10, 5, tzinfo=datetime.UTC)
    results = _concurrently(lambda: claim_slot(task="test.task", slot=slot), count=4)
    assert sorted(results) == [False, False, False, True]
    assert ScheduledRun.objects.filter(task="test.task", slot=slot).count() == 1
    # The next slot is a new run.
    assert claim_slot(task="test.task", slot=slot + datetime.timedelta(minutes=5))


@pytest.mark.django_db(transaction=True)
def test_two_beats_sending_the_quarterly_report_at_once_produce_one_report(settings):
    """The quarterly report task, sent by two beats and taken by two workers at the same moment."""
    from digitalfabrik.celery import app
    from programme.factories import FundingPhaseFactory
    from reporting.models import Report
    from reporting.tasks import request_quarterly_report

    FundingPhaseFactory(start=datetime.date(2000, 1, 1), end=datetime.date(2099, 12, 31))
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # the report itself goes to the broker, not rendered here
    try:
        results = _concurrently(lambda: _run_task(request_quarterly_report))
    finally:
        app.conf.task_always_eager = eager
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge("pdf")
    assert Report.objects.count() == 1
    assert sorted(results, key=lambda value: value is not None) == [None, Report.objects.get().pk]
    assert ScheduledRun.objects.filter(task="reporting.tasks.request_quarterly_report").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_voucher_expiry_runs_do_the_work_once():
    from innoscheck.tasks import expire_vouchers
    from innoscheck.tests.factories import approved_application
    from innoscheck.workflow import Status

    application = approved_application(valid_until=datetime.date.today() - datetime.timedelta(days=1))
    results = _concurrently(lambda: _run_task(expire_vouchers))
    assert sorted(results, key=lambda value: value is not None) == [None, 1]
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
