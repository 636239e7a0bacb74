"""Checks for uploaded files: type by content (not by name), size limit, not empty."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import AttachmentKind

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

ALLOWED_TYPES = {
    AttachmentKind.QUOTE: {PDF},
    AttachmentKind.INVOICE: {PDF},
    AttachmentKind.REPORT: {PDF, PNG, JPEG},
    AttachmentKind.OTHER: {PDF, PNG, JPEG},
}
_TYPE_NAMES = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}


def detect_content_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload, *, kind: str) -> str:
    """Return the content type detected from the file's bytes, or raise ValidationError."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.INNOSCHECK_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    allowed = ALLOWED_TYPES[kind]
    content_type = detect_content_type(upload)
    if content_type not in allowed:
        raise ValidationError(
            _("This file is not a %(types)s file (judged by its content, not its name).")
            % {"types": " / ".join(sorted(_TYPE_NAMES[t] for t in allowed))},
            code="wrong_type",
        )
    return content_type
