"""The broker pointed at a closed port, and back: requests still succeed and nothing is lost."""

import contextlib
import datetime
import os

import pytest
import redis
from django.urls import reverse

from digitalfabrik.celery import app
from digitalfabrik.tests.servers import free_port
from innoscheck.tests.factories import ApplicationFactory
from innoscheck.workflow import Status
from notifications.models import OutboxMail, OutboxStatus
from notifications.sweep import sweep_undelivered

pytestmark = pytest.mark.django_db

REAL_BROKER = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")


@contextlib.contextmanager
def broker(url: str, *, eager: bool):
    """Point the Celery app at ``url`` (fresh connections) and run tasks eagerly or really send them.

    Celery reads CELERY_BROKER_URL from the environment before its settings, so that is changed too."""
    saved = os.environ.get("CELERY_BROKER_URL", REAL_BROKER), app.conf.task_always_eager

    def use(broker_url, always_eager):
        os.environ["CELERY_BROKER_URL"] = broker_url
        app.conf.broker_url, app.conf.task_always_eager = broker_url, always_eager
        app._pool = None
        app.amqp._producer_pool = None

    use(url, eager)
    try:
        yield
    finally:
        use(*saved)


def _approve(client, world, django_capture_on_commit_callbacks):
    application = ApplicationFactory(status=Status.IN_REVIEW, company=world.company_a)
    client.force_login(world.users["staff"])
    url = reverse("innoscheck:action", kwargs={"pk": application.pk, "action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"amount": "5000"}, follow=True)
    application.refresh_from_db()
    return application, response


def _queued(queue: str) -> int:
    return redis.Redis.from_url(REAL_BROKER).llen(queue)


@pytest.fixture
def empty_queues():
    client = redis.Redis.from_url(REAL_BROKER)
    client.delete("celery", "pdf")
    yield
    client.delete("celery", "pdf")


def test_an_approval_with_the_broker_down_succeeds_and_the_sweep_sends_its_work_when_it_is_back(
    client, world, smtp, empty_queues, django_capture_on_commit_callbacks, caplog
):
    with broker(f"redis://127.0.0.1:{free_port()}/0", eager=False):
        application, response = _approve(client, world, django_capture_on_commit_callbacks)
        assert response.status_code == 200
        assert application.status == Status.APPROVED and application.voucher_number
        assert not application.voucher_pdf
        assert 'data-testid="documents-pending"' in response.content.decode()
        assert "broker unreachable" in caplog.text
        pending = list(OutboxMail.objects.filter(status=OutboxStatus.PENDING))
        assert pending and smtp.received == []

    # Back (messages really sent to Redis): the sweep sends the lost work, once it has waited long enough.
    later = application.decided_at + datetime.timedelta(minutes=10)
    with broker(REAL_BROKER, eager=False):
        assert sweep_undelivered(now=application.decided_at) == {"mails": [], "vouchers": [], "reports": []}
        swept = sweep_undelivered(now=later)
    assert swept["vouchers"] == [application.pk]
    assert sorted(swept["mails"]) == sorted(row.pk for row in pending)
    assert _queued("pdf") == 1
    assert _queued("celery") == len(pending)

    # A worker (run here eagerly) makes the documents and delivers the mails.
    with broker(REAL_BROKER, eager=True):
        sweep_undelivered(now=later)
    application.refresh_from_db()
    assert application.voucher_pdf and application.certificate_pdf
    assert not OutboxMail.objects.exclude(status=OutboxStatus.SENT).exists()
    assert len(smtp.received) == len(pending)


def test_an_approval_while_smtp_refuses_succeeds_and_still_makes_the_documents(
    client, world, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse_for_now()
    application, response = _approve(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert application.status == Status.APPROVED
    assert application.voucher_pdf and application.certificate_pdf
    rows = list(OutboxMail.objects.all())
    assert rows and all(row.status == OutboxStatus.PENDING and "451" in row.last_error for row in rows)

    smtp.accept()
    from notifications.outbox import outbox_requeue_pending

    outbox_requeue_pending(now=max(row.next_attempt_at for row in rows))
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_notice_goes_once_the_documents_exist(client, world, django_capture_on_commit_callbacks):
    application, _response = _approve(client, world, django_capture_on_commit_callbacks)
    assert application.voucher_pdf
    response = client.get(reverse("innoscheck:detail", kwargs={"pk": application.pk}))
    assert 'data-testid="documents-pending"' not in response.content.decode()
    assert 'data-testid="download-voucher"' in response.content.decode()


def test_a_report_waiting_for_a_worker_says_so_and_its_retry_sends_it_again(
    client, world, django_capture_on_commit_callbacks
):
    from programme.tests.factories import FundingPhaseFactory
    from reporting import services as reporting_services
    from reporting.models import Report, ReportStatus

    staff = world.users["staff_lead"]
    phase = FundingPhaseFactory()
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with broker(closed, eager=False), django_capture_on_commit_callbacks(execute=True):
        report = reporting_services.report_request(
            by=staff, kind="indicators", phase=phase, period_start=phase.start, period_end=phase.end
        )
    client.force_login(staff)
    detail = reverse("reporting:detail", kwargs={"pk": report.pk})
    assert 'data-testid="waiting-for-worker"' not in client.get(detail).content.decode()

    Report.objects.filter(pk=report.pk).update(requested_at=report.requested_at - datetime.timedelta(minutes=5))
    page = client.get(detail).content.decode()
    assert 'data-testid="waiting-for-worker"' in page
    assert client.get(reverse("reporting:status", kwargs={"pk": report.pk})).json()["retry_url"]

    # Back: the retry sends the task once more and a worker (eager here) builds the report.
    with broker(REAL_BROKER, eager=True):
        response = client.post(reverse("reporting:retry", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.failure_reason


def test_the_sweep_requeues_what_no_worker_has_taken_within_minutes_not_an_hour(
    client, world, empty_queues, django_capture_on_commit_callbacks
):
    """With the broker down at the approval and at the report request, the beat sweep (every two
    minutes) sends the voucher's documents and the report again once they have waited three minutes."""
    from programme.tests.factories import FundingPhaseFactory
    from reporting import services as reporting_services

    phase = FundingPhaseFactory()
    with broker(f"redis://127.0.0.1:{free_port()}/0", eager=False):
        application, _response = _approve(client, world, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            report = reporting_services.report_request(
                by=world.users["staff_lead"],
                kind="indicators",
                phase=phase,
                period_start=phase.start,
                period_end=phase.end,
            )
    assert not application.voucher_pdf
    queued_at = max(application.decided_at, report.requested_at)

    with broker(REAL_BROKER, eager=False):
        early = sweep_undelivered(now=queued_at + datetime.timedelta(minutes=2))
        swept = sweep_undelivered(now=queued_at + datetime.timedelta(minutes=4))
    assert (early["vouchers"], early["reports"]) == ([], [])
    assert (swept["vouchers"], swept["reports"]) == ([application.pk], [report.pk])
    assert _queued("pdf") == 2
