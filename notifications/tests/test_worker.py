"""A real Celery worker process sends the outbox through a real SMTP server and retries a 4xx."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from digitalfabrik.celery import app
from digitalfabrik.mail import send_templated_mail
from notifications.models import OutboxMail, OutboxStatus

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_worker(settings, smtp):
    """A worker on the test database and the Redis broker, mailing through the test's SMTP server."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digitalfabrik.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "EMAIL_TIMEOUT": "5",
        "OUTBOX_RETRY_BASE_SECONDS": "1",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "digitalfabrik",
            "worker",
            "-Q",
            "celery",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield smtp
    app.conf.task_always_eager = eager
    process.terminate()
    process.wait(timeout=30)


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
