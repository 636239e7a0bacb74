"""Uploads and voucher PDFs in object storage: django-storages against a local S3 server (moto), not a mock."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from innoscheck import services
from innoscheck.models import AttachmentKind
from innoscheck.workflow import Status

from .factories import PDF_BYTES, ApplicationFactory, pdf_upload

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_upload_goes_to_the_bucket_and_is_served_only_after_the_permission_check(
    client, world, phase, s3_storage, django_capture_on_commit_callbacks
):
    draft = ApplicationFactory(
        company=world.company_a, phase=phase, created_by=world.users["member_a"], with_files=False
    )
    client.force_login(world.users["member_a"])
    response = client.post(
        reverse("innoscheck:edit", kwargs={"pk": draft.pk, "step": "attachments"}),
        {"kind": AttachmentKind.QUOTE, "file": pdf_upload(name="angebot.pdf")},
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert s3_storage.keys("innoscheck/attachments/") == [attachment.file.name]
    stored = s3_storage.client().get_object(Bucket=s3_storage.bucket, Key=attachment.file.name)
    assert stored["Body"].read() == PDF_BYTES

    url = reverse("innoscheck:attachment", kwargs={"pk": attachment.pk})
    download = client.get(url)
    assert download.status_code == 200
    assert _body(download) == PDF_BYTES
    assert "angebot.pdf" in download["Content-Disposition"]

    client.force_login(world.users["member_b"])
    assert client.get(url).status_code in (403, 404)

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, by=world.users["member_a"])
    assert s3_storage.keys("innoscheck/attachments/") == []


def test_with_the_object_store_down_a_removal_is_done_and_the_left_file_logged(
    client, world, phase, own_s3_server, django_capture_on_commit_callbacks, caplog
):
    """The row goes and the user reads that the file was removed; the file the store could not delete
    is named in the log. (Before, the file went first, outside any transaction: a rolled-back removal
    lost it.)"""
    draft = ApplicationFactory(
        company=world.company_a, phase=phase, created_by=world.users["member_a"], with_files=False
    )
    client.force_login(world.users["member_a"])
    edit = reverse("innoscheck:edit", kwargs={"pk": draft.pk, "step": "attachments"})
    assert client.post(edit, {"kind": AttachmentKind.QUOTE, "file": pdf_upload()}).status_code == 302
    attachment = draft.attachments.get()

    own_s3_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("innoscheck:attachment_delete", kwargs={"pk": attachment.pk}), follow=True)
    assert response.status_code == 200
    assert "„angebot.pdf“ wurde entfernt" in response.content.decode()
    assert not draft.attachments.exists()
    assert f"stored file {attachment.file.name} was not deleted" in caplog.text


def test_voucher_documents_rendered_into_the_bucket_and_downloaded(client, world, phase, s3_storage):
    from accounts.tests.factories import StaffFactory

    application = ApplicationFactory(company=world.company_a, phase=phase, status=Status.IN_REVIEW)
    services.application_approve(application=application, by=StaffFactory(), amount=Decimal("4321.00"))
    services.voucher_documents_render(application_id=application.pk)
    application.refresh_from_db()
    names = {application.voucher_pdf.name, application.certificate_pdf.name}
    assert set(s3_storage.keys("innoscheck/vouchers/")) == names

    # A second run keeps the files it finds in the bucket.
    services.voucher_documents_render(application_id=application.pk)
    assert set(s3_storage.keys("innoscheck/vouchers/")) == names

    client.force_login(world.users["member_a"])
    response = client.get(reverse("innoscheck:document", kwargs={"pk": application.pk, "kind": "voucher"}))
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(_body(response))).pages[0].extract_text()
    assert application.voucher_number in text
