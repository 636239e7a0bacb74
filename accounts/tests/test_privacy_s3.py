"""The personal-data export reads the application files from object storage (a local S3 server, moto)."""

import io
import zipfile

import pytest
from django.urls import reverse

from innoscheck.tests.factories import PDF_BYTES, ApplicationFactory

pytestmark = pytest.mark.django_db


def test_export_contains_the_files_stored_in_the_bucket(client, world, s3_storage):
    application = ApplicationFactory(company=world.company_a, created_by=world.users["member_a"])
    attachment = application.attachments.get()
    assert s3_storage.keys("innoscheck/attachments/") == [attachment.file.name]

    client.force_login(world.users["member_a"])
    response = client.get(reverse("privacy_export"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    [path] = [name for name in archive.namelist() if name.startswith("files/")]
    assert path == f"files/application-{application.pk}/{attachment.pk}-angebot.pdf"
    assert archive.read(path) == PDF_BYTES
