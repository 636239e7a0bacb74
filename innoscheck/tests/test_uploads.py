"""Upload limits: over-size bodies refused before they are read, at most N attachments per application.

The same over a real socket to gunicorn: digitalfabrik/tests/test_uploads_live.py.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from innoscheck import services
from innoscheck.models import Attachment, AttachmentKind

from .factories import PDF_BYTES, ApplicationFactory, approved_application, pdf_upload, shared_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world, phase):
    return ApplicationFactory(
        company=world.company_a, phase=phase, created_by=world.users["member_a"], with_files=False
    )


@pytest.fixture
def company_client(client, world):
    client.force_login(world.users["member_a"])
    return client


def _attachments_url(application) -> str:
    return reverse("innoscheck:edit", kwargs={"pk": application.pk, "step": "attachments"})


def _add_attachments(application, count: int) -> None:
    name = shared_file("innoscheck/attachments/limit-test")
    Attachment.objects.bulk_create(
        Attachment(
            application=application,
            kind=AttachmentKind.OTHER,
            original_name=f"anlage-{number}.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            uploaded_by=application.created_by,
            file=name,
        )
        for number in range(count)
    )


def test_a_body_announced_over_the_limit_is_refused_unread(company_client, draft, settings):
    """The test client's body is empty: reading it at all would fail the request."""
    response = company_client.generic(
        "POST",
        _attachments_url(draft),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(settings.UPLOAD_MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert response.context["request_limit"]
    assert not draft.attachments.exists()


def test_a_body_just_within_the_limit_is_read(company_client, draft, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 4096
    response = company_client.post(_attachments_url(draft), {"kind": AttachmentKind.QUOTE, "file": pdf_upload()})
    assert response.status_code == 302
    assert draft.attachments.count() == 1


def test_other_pages_take_no_more_than_form_fields(client, settings):
    """Only views marked @accepts_uploads take large bodies; the login form gets Django's form limit."""
    response = client.generic(
        "POST",
        reverse("account_login"),
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    assert response.status_code == 413


def test_a_body_without_announced_size_is_refused(company_client, draft):
    response = company_client.generic(
        "POST",
        _attachments_url(draft),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411


def test_a_file_over_the_limit_is_cut_off_while_it_is_read(company_client, draft, settings):
    settings.INNOSCHECK_MAX_UPLOAD_BYTES = 1000
    upload = pdf_upload(content=PDF_BYTES + b"0" * 200_000)
    response = company_client.post(_attachments_url(draft), {"kind": AttachmentKind.QUOTE, "file": upload})
    assert response.status_code == 413
    assert response.context["file_limit"] == "1000\xa0Bytes"
    assert "1000\xa0Bytes" in response.content.decode()
    assert not draft.attachments.exists()


def test_the_21st_attachment_is_refused_with_a_clear_message(company_client, draft, settings):
    _add_attachments(draft, settings.INNOSCHECK_MAX_ATTACHMENTS - 1)
    response = company_client.post(_attachments_url(draft), {"kind": AttachmentKind.OTHER, "file": pdf_upload()})
    assert response.status_code == 302
    assert draft.attachments.count() == settings.INNOSCHECK_MAX_ATTACHMENTS
    response = company_client.post(
        _attachments_url(draft), {"kind": AttachmentKind.OTHER, "file": pdf_upload()}, follow=True
    )
    assert draft.attachments.count() == settings.INNOSCHECK_MAX_ATTACHMENTS
    assert "höchstens 20 Anhänge" in response.content.decode()


def test_the_service_refuses_attachments_past_the_limit(draft, settings):
    settings.INNOSCHECK_MAX_ATTACHMENTS = 3
    _add_attachments(draft, 3)
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(application=draft, by=draft.created_by, kind=AttachmentKind.OTHER, upload=pdf_upload())
    assert refused.value.code == "too_many_attachments"
    assert draft.attachments.count() == 3


def test_the_proof_of_use_is_accepted_whatever_the_number_of_attachments(settings):
    settings.INNOSCHECK_MAX_ATTACHMENTS = 1
    application = approved_application()
    assert application.attachments.count() >= 1
    services.application_submit_proof(
        application=application,
        by=application.created_by,
        actual_days=Decimal("4"),
        actual_amount=Decimal("4000"),
        report=pdf_upload("bericht.pdf"),
        invoice=pdf_upload("rechnung.pdf"),
    )
    assert application.attachments.filter(kind__in=[AttachmentKind.REPORT, AttachmentKind.INVOICE]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_both_be_the_last(world, phase, settings):
    """Real concurrent PostgreSQL connections: the application's row lock serialises the count."""
    settings.INNOSCHECK_MAX_ATTACHMENTS = 2
    application = ApplicationFactory(company=world.company_a, phase=phase, with_files=False)
    _add_attachments(application, 1)
    barrier = threading.Barrier(2)
    outcomes = []

    def upload():
        try:
            barrier.wait(timeout=10)
            services.attachment_add(
                application=application, by=application.created_by, kind=AttachmentKind.OTHER, upload=pdf_upload()
            )
            outcomes.append("stored")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["stored", "too_many_attachments"]
    assert application.attachments.count() == 2
