"""The voucher PDFs rendered by a real Celery worker process through Redis, not eagerly."""

import io
import time
from decimal import Decimal

import pytest
from django.conf import settings
from pypdf import PdfReader

from accounts.tests.factories import StaffFactory
from digitalfabrik.tests.servers import celery_worker
from innoscheck import services
from innoscheck.models import Application
from innoscheck.workflow import Status

from .factories import ApplicationFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_process(settings):
    """A worker on the test database and the same Redis broker, consuming the "pdf" queue."""
    with celery_worker("pdf", "--max-tasks-per-child", "10", MEDIA_ROOT=str(settings.MEDIA_ROOT)) as process:
        yield process


def _wait_for_documents(pk: int, timeout: float = 90) -> Application:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        application = Application.objects.get(pk=pk)
        if application.voucher_pdf and application.certificate_pdf:
            return application
        time.sleep(0.5)
    raise AssertionError("the worker did not render the voucher documents in time")


def _pdf_text(field_file) -> str:
    with field_file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_approval_renders_voucher_and_certificate_in_the_worker(celery_worker_process):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "needs the Redis broker"
    application = ApplicationFactory(status=Status.IN_REVIEW)
    services.application_approve(application=application, by=StaffFactory(), amount=Decimal("4321.00"))

    application = _wait_for_documents(application.pk)

    voucher_text = _pdf_text(application.voucher_pdf)
    assert application.voucher_number in voucher_text
    assert "4.321,00" in voucher_text
    certificate_text = _pdf_text(application.certificate_pdf)
    assert application.voucher_number in certificate_text
    assert "De-minimis" in certificate_text
    assert celery_worker_process.poll() is None
