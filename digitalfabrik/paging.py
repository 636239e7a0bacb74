"""Every list page is paginated the same way (templates/_pagination.html shows the page links)."""

from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 25


def paginate(request, items: QuerySet) -> dict:
    """The requested page of ``items`` (``PAGE_SIZE`` entries, the same on every list) and the query
    without the page (the filters) for the page links."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
