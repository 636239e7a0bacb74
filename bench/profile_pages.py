#!/usr/bin/env python
"""Why is a page slow? Query count, SQL time and Python time of each benchmark page, slowest SQL first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/profile_pages.py [--top 5]

Uses the data and users of generate_scale_data.py and the pages of load.py, in-process (Django's
test client), so the figures exclude gunicorn and the network.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ROOT_URLCONF"] = "bench.urls"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate_scale_data import BENCH_USERS  # noqa: E402
from load import PAGES  # noqa: E402

from accounts.models import User  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=3, help="slowest queries shown per page")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    for label, role, path in PAGES:
        client = Client()
        if role != "anonymous":
            client.force_login(User.objects.get(email=BENCH_USERS[role]))
        status = client.get(path).status_code
        if status != 200:
            print(f"{label:<28} {path:<24} not available (HTTP {status})")
            continue
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(path)
                timings.append(time.perf_counter() - started)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        total_ms = min(timings) * 1000
        print(
            f"{label:<28} {path:<24} {total_ms:7.1f} ms  {len(queries):3d} queries  "
            f"SQL {sql_ms:6.1f} ms  Python {total_ms - sql_ms:6.1f} ms"
        )
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[: args.top]:
            print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
