#!/usr/bin/env python
"""Median response time of the InnoScheck review queue and the company's list at 3,000 applications.

    createdb -h 127.0.0.1 -U postgres df_innoscheck_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_innoscheck_bench .venv/bin/python bench/bench_innoscheck.py

Migrates the database, creates (once) 300 companies with 3,000 voucher applications spread over every
state after the draft, then requests each page REPEAT times through Django's test Client and prints
the median and the number of SQL queries. The goal is a median under 150 ms for the review queue.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.test")

import django  # noqa: E402

django.setup()

from _common import REGIONS, bench_user, measure  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from companies.choices import Chamber, LegalForm, WZSection  # noqa: E402
from companies.factories import CompanyFactory, MembershipFactory  # noqa: E402
from companies.models import Company  # noqa: E402
from innoscheck.factories import ApplicationFactory, ExpertFactory  # noqa: E402
from innoscheck.models import Application, Expert  # noqa: E402
from innoscheck.workflow import Status  # noqa: E402
from programme.choices import SizeClass, Topic  # noqa: E402
from programme.factories import FundingPhaseFactory, PartnerOrganisationFactory  # noqa: E402

APPLICATIONS, COMPANIES = 3000, 300
MARKER = "bench-innoscheck"
STATES = [s for s in Status.values if s != Status.DRAFT]


@transaction.atomic
def create_data() -> None:
    if Company.objects.filter(name__startswith=MARKER).exists():
        print("Data exists; reusing it.")
        return
    started = time.perf_counter()
    partners = [
        PartnerOrganisationFactory(short_name=f"BENCH{n}", name=f"Bench Partner {n}", kind="wf", city=REGIONS[n])
        for n in range(4)
    ]
    bench_user(f"staff@{MARKER}.example", Role.STAFF, partner=partners[0])
    member = bench_user(f"member@{MARKER}.example", Role.COMPANY)
    today = timezone.localdate()
    phase = FundingPhaseFactory(
        name=f"{MARKER} phase",
        start=today - datetime.timedelta(days=365),
        end=today + datetime.timedelta(days=365),
        total_budget=Decimal("100000000"),
        voucher_budget=Decimal("50000000"),
    )
    experts = Expert.objects.bulk_create(
        ExpertFactory.build(
            name=f"Expert {n}",
            email=f"expert{n}@{MARKER}.example",
            firm="Bench GmbH",
            topics=[Topic.AI_DATA],
            daily_rate=Decimal(1000),
            confirmed=True,
        )
        for n in range(20)
    )
    companies = Company.objects.bulk_create(
        CompanyFactory.build(
            name=f"{MARKER} Firma {n}",
            legal_form=LegalForm.GMBH,
            street="Hauptstr. 1",
            postcode=f"{44000 + n:05d}",
            city=REGIONS[n % 4].label,
            region=REGIONS[n % 4],
            chamber=Chamber.IHK_DORTMUND,
            wz_section=WZSection.C,
            wz_code="25.62",
            founding_date=datetime.date(1990, 1, 1),
            staff_headcount=Decimal(20),
            annual_turnover=Decimal(2_000_000),
            balance_sheet_total=Decimal(1_000_000),
            contact_name="Erika Mustermann",
            contact_email=f"kontakt{n}@{MARKER}.example",
            linked_enterprises_included=True,
            size_class=SizeClass.SMALL,
            responsible_partner=None,
        )
        for n in range(COMPANIES)
    )
    MembershipFactory(company=companies[0], user=member)
    now = timezone.now()
    Application.objects.bulk_create(
        (
            ApplicationFactory.build(
                company=companies[n % COMPANIES],
                phase=phase,
                created_by=member,
                partner=partners[n % 4],
                status=STATES[n % len(STATES)],
                topic=Topic.values[n % len(Topic.values)],
                title=f"Vorhaben {n}",
                description="Beschreibung",
                goals="Ziele",
                expert=experts[n % 20],
                expert_days=Decimal(5),
                daily_rate=Decimal(1000),
                calculated_amount=Decimal(5000),
                requested_amount=Decimal(5000),
                sme_confirmed=True,
                deminimis_declaration="none",
                submitted_at=now - datetime.timedelta(hours=n),
            )
            for n in range(APPLICATIONS)
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Created {Application.objects.count():,} applications in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    create_data()
    setup_test_environment()
    queue = reverse("innoscheck:queue")
    pages = [
        ("staff", "review queue", queue),
        ("staff", "review queue, status in review", queue + "?status=in_review"),
        ("staff", "review queue, Hagen, older than 30 days", queue + "?city=hagen&age=older"),
        ("staff", "review queue, page 20", queue + "?page=20"),
        ("member", "company's applications", reverse("innoscheck:list")),
    ]
    users = {
        "staff": User.objects.get(email=f"staff@{MARKER}.example"),
        "member": User.objects.get(email=f"member@{MARKER}.example"),
    }
    print(f"{'page':42} {'user':7} {'median ms':>10} {'queries':>8}")
    worst_queue = 0.0
    for role, label, url in pages:
        client = Client()
        client.force_login(users[role])
        median, queries = measure(client, url, args.repeat)
        if url.startswith(queue):
            worst_queue = max(worst_queue, median)
        print(f"{label:42} {role:7} {median:10.1f} {queries:8d}")
    verdict = "under" if worst_queue < 150 else "OVER"
    print(f"Slowest review-queue median: {worst_queue:.1f} ms ({verdict} the 150 ms goal)")


if __name__ == "__main__":
    main()
