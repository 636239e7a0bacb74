from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.text import get_valid_filename


def get_permitted_or_404(queryset: QuerySet, *, pk: int, user, check):
    """The object ``pk`` of ``queryset``: 404 if there is none, 403 unless ``check(user, obj)`` allows it."""
    obj = get_object_or_404(queryset, pk=pk)
    if not check(user, obj):
        raise PermissionDenied
    return obj


def stored_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file (local disk or bucket) streamed as a download named ``filename``; 404 if it is not
    stored. Opened at once, without asking the storage first: one request to a bucket instead of two,
    and a file removed between a check and the opening is a 404, not an error page."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=get_valid_filename(filename), content_type=content_type)
