from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404


def get_permitted_or_404(queryset: QuerySet, *, pk: int, user, check):
    """The object ``pk`` of ``queryset``: 404 if there is none, 403 unless ``check(user, obj)`` allows it."""
    obj = get_object_or_404(queryset, pk=pk)
    if not check(user, obj):
        raise PermissionDenied
    return obj
