"""The portal's URLs plus the load benchmark's ceiling, for gunicorn started by bench/ scripts only
(DJANGO_ROOT_URLCONF=bench.urls). Nothing of this is routed in the portal itself."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from digitalfabrik.urls import urlpatterns as portal


def bare(request):
    """A fixed text through the whole middleware stack: the ceiling of a page for this stack."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_logged_in(request):
    """The same text for a logged-in person: the session and the user read, the login middleware run."""
    return HttpResponse("ok", content_type="text/plain")


# bench/ is no app, so its one page template is written here.
_EMPTY_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block head_title %}Bench{% endblock %}{% block content %}{% endblock %}'
)


@login_required
def empty_page(request):
    """The portal's layout with nothing in it, logged in: the floor of every page (navigation, the
    context processors, the footer's language form)."""
    return HttpResponse(_EMPTY_PAGE.render({}, request))


urlpatterns = [
    *portal,
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare-logged-in/", bare_logged_in, name="bench_bare_logged_in"),
    path("bench/empty-page/", empty_page, name="bench_empty_page"),
]
