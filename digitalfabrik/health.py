"""Liveness and readiness for docker compose, the proxy and orchestrators (django-health-check).

Anyone may ask, so the answer is only a status code and "ok" / "unavailable": no check names, hosts,
versions or error texts. What failed is in the log (django-health-check logs every failing check)
and on the machine itself: ``manage.py health_check health:ready --no-http``.
"""

import asyncio
import dataclasses
import datetime

from django.http import HttpResponse
from django.urls import path
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (any transport Celery is configured with)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        from .celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0)
        except Exception as error:
            raise ServiceUnavailable("broker unreachable") from error


class StatusOnlyView(HealthCheckView):
    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        healthy = not any(result.error for result in results)
        return HttpResponse(
            "ok\n" if healthy else "unavailable\n",
            status=200 if healthy else 503,
            content_type="text/plain; charset=utf-8",
        )


# The process answers: nothing else is asked (a restart would not mend a database that is down).
liveness = StatusOnlyView.as_view(checks=())
# This process can serve requests: the database, the broker and the file storage all answer (the
# storage check writes, reads and deletes a small file). Not the cache: without it every page still
# answers (sessions are in the database, rate limits fail open; digitalfabrik/cache.py), and a
# proxy that took every web server out of rotation for a cache outage would turn it into a full one.
readiness = StatusOnlyView.as_view(checks=(Database, Broker, Storage))

app_name = "health"
urlpatterns = [
    path("live/", liveness, name="live"),
    path("ready/", readiness, name="ready"),
]
