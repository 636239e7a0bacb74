import datetime
import time

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from digitalfabrik.mail import send_templated_mail
from notifications.admin import OutboxMailAdmin
from notifications.models import OutboxMail, OutboxStatus
from notifications.outbox import RETRY, SENT, outbox_deliver, outbox_requeue_pending

pytestmark = pytest.mark.django_db

INVITATION = {"template": "companies/email/invitation", "language": "de"}


def _context(world):
    return {
        "company": world.company_a,
        "invited_by": world.users["member_a"],
        "accept_url": "https://portal.example/accept",
        "signup_url": "https://portal.example/signup",
    }


def _queue(world, to):
    send_templated_mail(to=to, context=_context(world), **INVITATION)


def test_a_mail_is_a_row_first_and_is_sent_only_after_the_commit(world, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queue(world, ["eins@example.com", "zwei@example.com"])
        rows = list(OutboxMail.objects.order_by("recipient"))
        assert [row.recipient for row in rows] == ["eins@example.com", "zwei@example.com"]
        assert all(row.status == OutboxStatus.PENDING for row in rows)
        assert smtp.received == []
    assert len(callbacks) == 2
    assert sorted(smtp.recipients()) == ["eins@example.com", "zwei@example.com"]
    assert set(OutboxMail.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}
    assert b"Firma A GmbH" in smtp.received[0].content


def test_a_refusing_server_4xx_leaves_the_mail_pending_and_the_sweep_delivers_it_later(
    world, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse_for_now()
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world, ["eins@example.com"])
    row = OutboxMail.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "451" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert outbox_requeue_pending() == []  # not yet due

    smtp.accept()
    assert outbox_requeue_pending(now=row.next_attempt_at + datetime.timedelta(seconds=1)) == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, "")
    assert smtp.recipients() == ["eins@example.com"]


def test_a_5xx_refusal_fails_at_once_and_the_admin_resends_it(world, smtp, django_capture_on_commit_callbacks):
    smtp.refuse_for_good()
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world, ["weg@example.com"])
    row = OutboxMail.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in row.last_error

    smtp.accept()
    request = RequestFactory().post("/")
    request.user = world.users["admin"]
    request._messages = type("M", (), {"add": lambda *args, **kwargs: None})()
    with django_capture_on_commit_callbacks(execute=True):
        OutboxMailAdmin(OutboxMail, site).resend(request, OutboxMail.objects.all())
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert smtp.recipients() == ["weg@example.com"]


def test_failed_mails_are_listed_for_administrators(client, world, smtp, django_capture_on_commit_callbacks):
    smtp.refuse_for_good()
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world, ["weg@example.com"])
    client.force_login(world.users["admin"])
    response = client.get("/admin/notifications/outboxmail/", {"status": "failed"})
    assert response.status_code == 200
    assert "weg@example.com" in response.content.decode()
    assert "resend" in response.content.decode()


def test_after_the_last_attempt_the_mail_is_failed(world, smtp, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp.refuse_for_now()
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world, ["eins@example.com"])
    row = OutboxMail.objects.get()
    assert outbox_deliver(mail_id=row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, smtp.tries) == (OutboxStatus.FAILED, 2, 2)


def test_a_server_that_does_not_answer_costs_email_timeout_then_a_retry(world, silent_smtp, settings):
    settings.EMAIL_TIMEOUT = 1
    _queue(world, ["eins@example.com"])
    row = OutboxMail.objects.get()
    started = time.monotonic()
    assert outbox_deliver(mail_id=row.pk) == RETRY
    assert time.monotonic() - started < 4
    row.refresh_from_db()
    assert "timed out" in row.last_error


def test_a_sent_mail_is_never_sent_twice(world, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world, ["eins@example.com"])
    row = OutboxMail.objects.get()
    assert row.status == SENT
    assert outbox_deliver(mail_id=row.pk) == "skipped"
    assert len(smtp.received) == 1


def test_the_sweep_runs_on_the_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-sweep-undelivered"]
    assert entry["task"] == "notifications.tasks.sweep_undelivered"


def test_allauths_mails_go_through_the_outbox_too(client, smtp, django_capture_on_commit_callbacks):
    from accounts.tests.test_signup import sign_up

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "neu@example.com", "de")
    row = OutboxMail.objects.get(recipient="neu@example.com")
    assert row.kind.startswith("account/email/") and row.language == "de"
    assert (row.status, smtp.recipients()) == (OutboxStatus.SENT, ["neu@example.com"])
