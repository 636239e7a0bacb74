"""What the page benchmarks share: throw-away users with a known second factor, and timing a page."""

import os
import statistics
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test import Client

from accounts.factories import UserFactory
from accounts.models import User
from programme.choices import Region

BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - throw-away benchmark users
REGIONS = [Region.DORTMUND, Region.BOCHUM, Region.HAGEN, Region.OTHER]


def bench_user(email: str, role: str, **extra) -> User:
    user = User.objects.filter(email=email).first() or UserFactory(email=email, role=role, totp=False, **extra)
    if user.requires_mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, BENCH_TOTP_SECRET)
    return user


def measure(client: Client, url: str, repeat: int) -> tuple[float, int]:
    """Median milliseconds of ``repeat`` GETs of a warmed-up page, and its number of SQL queries.

    With BENCH_SHOW_QUERIES set, prints the three slowest queries.
    """
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(record):
        client.get(url)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for seconds, sql in sorted(queries, reverse=True)[:3]:
            print(f"    {seconds * 1000:7.1f} ms  {sql[:300]}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)
