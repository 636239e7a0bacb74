#!/usr/bin/env python
"""Server time of the funder's indicator dashboard data (reporting.selectors.dashboard_data), fresh, no cache.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/time_dashboard.py [-v]

Reads the running phase's current quarter (and cumulatively since the phase began), then the whole
phase (what the page opens with), nine times each and prints the median and the fastest of the last
eight runs, the number of queries and with ``-v`` the slowest queries. Run it on the data of
bench/generate_scale_data.py (which also writes the support facts).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from programme.models import FundingPhase  # noqa: E402
from reporting import selectors  # noqa: E402
from reporting.indicators import Range  # noqa: E402
from reporting.periods import period_for  # noqa: E402


def _time(phase, period: Range) -> None:
    times = []
    for _run in range(9):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            selectors.dashboard_data(phase=phase, period=period)
        times.append((time.perf_counter() - started) * 1000)
    print(f"{phase}, {period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}: {len(queries.captured_queries)} queries")
    print(f"dashboard data: median {statistics.median(times[1:]):.1f} ms, fastest {min(times[1:]):.1f} ms")
    if "-v" in sys.argv:
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:10]:
            print(f"{float(query['time']) * 1000:8.1f} ms  {' '.join(query['sql'].split())[:140]}")


def main() -> int:
    phase = FundingPhase.objects.order_by("-start").first()
    today = timezone.localdate()
    quarter = period_for(preset="quarter", phase=phase, year=today.year, part=(today.month - 1) // 3 + 1)
    _time(phase, Range(quarter.start, quarter.end))
    _time(phase, Range(phase.start, phase.end))
    print(f"load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
