from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Stable pages however many records arrive meanwhile; newest first unless a view says otherwise."""

    ordering = "-pk"
    page_size_query_param = "page_size"
    max_page_size = 200
