#!/usr/bin/env python
"""What a PDF worker spends on one approved voucher: the voucher and the de-minimis certificate.

    createdb -h 127.0.0.1 -U postgres df_voucher_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_voucher_bench .venv/bin/python bench/bench_voucher_pdf.py

Migrates the database, creates one approved application (the portal's factories), then renders both
documents REPEAT times through the functions the Celery task calls (innoscheck/documents.py) and
prints the fastest and median seconds and the sizes. Storage is left out: it is one upload to the
bucket per file.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from innoscheck.documents import render_certificate_pdf, render_voucher_pdf  # noqa: E402
from innoscheck.factories import ApplicationFactory  # noqa: E402
from innoscheck.models import Application  # noqa: E402
from innoscheck.workflow import Status  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    application = Application.objects.filter(voucher_number="ISR-BENCH-0001").first() or ApplicationFactory(
        status=Status.APPROVED,
        approved_amount=Decimal("4321.00"),
        decided_at=timezone.now(),
        approved_at=timezone.now(),
        voucher_number="ISR-BENCH-0001",
        valid_until=timezone.localdate() + datetime.timedelta(days=180),
        with_files=False,
    )
    application = Application.objects.select_related("company", "phase", "expert").get(pk=application.pk)
    render_voucher_pdf(application)  # fonts and templates loaded once, as in a running worker
    for name, render in (("voucher", render_voucher_pdf), ("certificate", render_certificate_pdf)):
        times, size = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            size = len(render(application))
            times.append(time.perf_counter() - started)
        print(f"{name}: fastest {min(times):.2f} s, median {statistics.median(times):.2f} s, {size / 1024:.0f} KiB")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
