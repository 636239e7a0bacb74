"""Request bodies within limits, refused before they are read.

Every POST announces its size (Content-Length). A view that takes files (``@accepts_uploads``)
may receive up to UPLOAD_MAX_REQUEST_BYTES; every other view up to DATA_UPLOAD_MAX_MEMORY_SIZE
(Django's limit for form fields). A larger announcement is answered with 413 and a page saying
what the limit is, before a byte of the body is read. A body that does not announce its size
(Transfer-Encoding: chunked) gets 411: Django reads no body without a Content-Length, so the form
would otherwise see no file and say nothing useful. While a multipart body is read, each file is
cut off as soon as it grows past INNOSCHECK_MAX_UPLOAD_BYTES (``FileSizeLimitUploadHandler``), so
not even the allowed body is written to disk beyond that.

The reverse proxy in front should refuse the same sizes (README, "Uploads behind a proxy").
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

_WITHOUT_BODY = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def accepts_uploads(view):
    """Mark a view whose POSTs carry files: its requests may be up to UPLOAD_MAX_REQUEST_BYTES."""
    view.accepts_uploads = True
    return view


def _body_limit(view) -> int:
    if getattr(view, "accepts_uploads", False):
        return settings.UPLOAD_MAX_REQUEST_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _refuse(request, *, status: int, limit: int):
    context = {
        "length_required": status == 411,
        "request_limit": filesizeformat(limit),
        "file_limit": filesizeformat(settings.INNOSCHECK_MAX_UPLOAD_BYTES),
    }
    return render(request, "413.html", context, status=status)


class RequestBodyLimitMiddleware:
    """Must come before anything that reads the body (CsrfViewMiddleware reads request.POST)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, view_args, view_kwargs):
        if request.method in _WITHOUT_BODY:
            return None
        limit = _body_limit(view)
        announced = request.META.get("CONTENT_LENGTH")
        if not announced:
            if "HTTP_TRANSFER_ENCODING" in request.META:
                return _refuse(request, status=411, limit=limit)
            return None
        try:
            length = int(announced)
        except ValueError:
            return _refuse(request, status=411, limit=limit)
        if length > limit:
            return _refuse(request, status=413, limit=limit)
        if getattr(view, "accepts_uploads", False):
            # Read the body here, under the upload handler's per-file limit, and answer its
            # refusal with the same page instead of handing the view a form without the file.
            request.POST  # noqa: B018
            if getattr(request, "upload_cut_off", False):
                return _refuse(request, status=413, limit=limit)
        return None


class FileSizeLimitUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: stops reading the body once a file passes the size limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.INNOSCHECK_MAX_UPLOAD_BYTES:
            self.request.upload_cut_off = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
