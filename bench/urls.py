"""The portal's URLs plus the load benchmark's ceiling, for gunicorn started by bench/ scripts only
(DJANGO_ROOT_URLCONF=bench.urls). Nothing of this is routed in the portal itself."""

from django.http import HttpResponse
from django.urls import path

from digitalfabrik.urls import urlpatterns as portal


def bare(request):
    """A fixed text through the whole middleware stack: the ceiling of a page for this stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [*portal, path("bench/bare/", bare, name="bench_bare")]
