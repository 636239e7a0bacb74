"""``stored_file_response``: the one way a stored file becomes a download (attachments, vouchers,
message attachments), on the local disk and in a bucket (a local S3 server, not a mock)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404

from digitalfabrik.shortcuts import stored_file_response

PDF = b"%PDF-1.4 Angebot"


def _field_file(name: str) -> FieldFile:
    return FieldFile(None, FileField(), name)


def _stored(name: str) -> FieldFile:
    return _field_file(default_storage.save(name, ContentFile(PDF)))


def _download(field_file, filename="Angebot Müller & Söhne.pdf"):
    response = stored_file_response(field_file, filename=filename, content_type="application/pdf")
    return response, b"".join(response.streaming_content)


@pytest.fixture
def local_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("storage", ["local_disk", "s3_storage"])
def test_a_stored_file_is_streamed_under_a_safe_name(storage, request):
    request.getfixturevalue(storage)
    response, body = _download(_stored("downloads/angebot.pdf"))
    assert body == PDF
    assert response["Content-Type"] == "application/pdf"
    # No spaces or "&" left; the umlauts travel encoded (RFC 6266).
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Angebot_M%C3%BCller__S%C3%B6hne.pdf"


@pytest.mark.parametrize("storage", ["local_disk", "s3_storage"])
def test_a_file_that_is_not_stored_is_404(storage, request):
    request.getfixturevalue(storage)
    with pytest.raises(Http404):
        _download(_field_file("downloads/never-stored.pdf"))
    gone = _stored("downloads/removed.pdf")
    default_storage.delete(gone.name)
    with pytest.raises(Http404):
        _download(gone)


def test_an_empty_field_is_404(local_disk):
    with pytest.raises(Http404):
        _download(_field_file(""))
