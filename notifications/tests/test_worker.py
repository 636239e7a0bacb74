"""A real Celery worker process sends the outbox through a real SMTP server and retries a 4xx."""

import time

import pytest

from digitalfabrik.mail import send_templated_mail
from digitalfabrik.tests.servers import celery_worker
from notifications.models import OutboxMail, OutboxStatus

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_worker(settings, smtp):
    """A worker on the test database and the Redis broker, mailing through the test's SMTP server."""
    with celery_worker(
        "celery",
        EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        EMAIL_TIMEOUT="5",
        OUTBOX_RETRY_BASE_SECONDS="1",
    ):
        yield smtp


def _wait_until_sent(pk: int, timeout: float = 60) -> OutboxMail:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = OutboxMail.objects.get(pk=pk)
        if row.status != OutboxStatus.PENDING:
            return row
        time.sleep(0.3)
    raise AssertionError(f"the worker did not send the mail in time: {OutboxMail.objects.get(pk=pk).last_error}")


def test_the_worker_retries_a_refused_mail_after_its_backoff_and_delivers_it(mail_worker, world):
    mailbox = mail_worker
    mailbox.refuse_first = 1
    send_templated_mail(
        to=["eins@example.com"],
        template="companies/email/invitation",
        context={"company": world.company_a, "invited_by": world.users["member_a"], "accept_url": "", "signup_url": ""},
        language="de",
    )
    row = _wait_until_sent(OutboxMail.objects.get().pk)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert mailbox.tries == 2 and mailbox.recipients() == ["eins@example.com"]
