"""Files sent with a message in object storage: django-storages against a local S3 server (moto), not a mock."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from innoscheck.tests.factories import PDF_BYTES, ApplicationFactory
from innoscheck.workflow import Status
from notifications.models import MessageAttachment

pytestmark = pytest.mark.django_db


def test_a_message_file_goes_to_the_bucket_and_is_streamed_only_after_the_permission_check(client, world, s3_storage):
    application = ApplicationFactory(company=world.company_a, status=Status.IN_REVIEW)
    client.force_login(world.users["member_a"])
    upload = SimpleUploadedFile("angebot-neu.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("notifications:application_thread", args=[application.pk]),
        {"text": "Hier das neue Angebot.", "files": [upload]},
    )
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    assert s3_storage.keys("notifications/messages/") == [attachment.file.name]
    stored = s3_storage.client().get_object(Bucket=s3_storage.bucket, Key=attachment.file.name)
    assert stored["Body"].read() == PDF_BYTES

    url = reverse("notifications:message_attachment", args=[attachment.pk])
    client.force_login(world.users["staff"])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "angebot-neu.pdf" in download["Content-Disposition"]

    client.force_login(world.users["member_b"])
    assert client.get(url).status_code == 403

    s3_storage.client().delete_object(Bucket=s3_storage.bucket, Key=attachment.file.name)
    client.force_login(world.users["staff"])
    assert client.get(url).status_code == 404
