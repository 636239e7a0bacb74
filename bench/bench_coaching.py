#!/usr/bin/env python
"""Median response time of the coaching caseload, queue and event pages at scale.

    createdb -h 127.0.0.1 -U postgres df_coaching_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_coaching_bench .venv/bin/python bench/bench_coaching.py

Migrates the database, creates (once) 5,000 coaching cases with 50,000 sessions, 5,000 next steps
and 200 events with 4,000 registrations with bulk_create, then requests each page REPEAT times
through Django's test Client and prints the median and the number of SQL queries. The goal is a
median under 150 ms per page.
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
from coaching.choices import CaseOutcome, CaseStatus, ContactForm, EventKind, SessionStatus  # noqa: E402
from coaching.factories import (  # noqa: E402
    CaseFactory,
    EventFactory,
    EventRegistrationFactory,
    NextStepFactory,
    SessionFactory,
)
from coaching.models import Case, Event, EventRegistration, NextStep, Session  # noqa: E402
from companies.choices import Chamber, LegalForm, WZSection  # noqa: E402
from companies.factories import CompanyFactory, MembershipFactory  # noqa: E402
from companies.models import Company  # noqa: E402
from programme.choices import Region, SizeClass, Topic  # noqa: E402
from programme.factories import PartnerOrganisationFactory  # noqa: E402

CASES, SESSIONS_PER_CASE, COMPANIES, COACHES, EVENTS, REGISTRATIONS_PER_EVENT = 5000, 10, 1000, 10, 200, 20
MARKER = "bench-coaching"
OPEN_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]


@transaction.atomic
def create_data() -> None:
    if Company.objects.filter(name__startswith=MARKER).exists():
        print("Data exists; reusing it.")
        return
    started = time.perf_counter()
    partner = PartnerOrganisationFactory(
        short_name="BENCH", name="Bench Wirtschaftsförderung", kind="wf", city=Region.DORTMUND
    )
    coaches = [
        bench_user(f"coach{n}@{MARKER}.example", Role.COACH, partner=partner, responsible_for=REGIONS[n % 4])
        for n in range(COACHES)
    ]
    bench_user(f"staff@{MARKER}.example", Role.STAFF, partner=partner)
    member = bench_user(f"member@{MARKER}.example", Role.COMPANY)
    companies = Company.objects.bulk_create(
        CompanyFactory.build(
            name=f"{MARKER} Firma {n}",
            legal_form=LegalForm.GMBH,
            street="Hauptstr. 1",
            postcode=f"{44000 + n:05d}",
            city="Dortmund",
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
            size_class=SizeClass.SMALL,
            responsible_partner=None,
        )
        for n in range(COMPANIES)
    )
    MembershipFactory(company=companies[0], user=member)
    now = timezone.now()
    cases = []
    for n in range(CASES):
        status = CaseStatus.NEW if n % 10 == 0 else ([*OPEN_STATUSES, CaseStatus.CLOSED])[n % 6]
        closed = status == CaseStatus.CLOSED
        cases.append(
            CaseFactory.build(
                company=companies[n % COMPANIES],
                topic=Topic.values[n % len(Topic.values)],
                description="Bedarf",
                preferred_form=ContactForm.ONLINE,
                status=status,
                outcome=CaseOutcome.IMPLEMENTED if closed else "",
                closed_at=now if closed else None,
                coach=None if n % 10 == 0 else coaches[(n // 10) % COACHES],
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=2000)
    sessions = []
    for index, case in enumerate(cases):
        for number in range(SESSIONS_PER_CASE):
            held = number < SESSIONS_PER_CASE - 2
            offset = datetime.timedelta(days=(index + number * 7) % 300 + 1)
            sessions.append(
                SessionFactory.build(
                    case=case,
                    status=SessionStatus.HELD if held else SessionStatus.PLANNED,
                    starts_at=now - offset if held else now + offset,
                    duration_hours=Decimal("1.5"),
                    form=ContactForm.ON_SITE,
                )
            )
    Session.objects.bulk_create(sessions, batch_size=5000)
    NextStep.objects.bulk_create(
        (
            NextStepFactory.build(
                case=case, description="Angebot", due_date=(now + datetime.timedelta(days=10 - i % 20)).date()
            )
            for i, case in enumerate(cases)
        ),
        batch_size=5000,
    )
    events = Event.objects.bulk_create(
        EventFactory.build(
            title=f"Workshop {n}",
            kind=EventKind.WORKSHOP,
            starts_at=now + datetime.timedelta(days=n - 100),
            place="Dortmund",
            organiser=partner,
            topic=Topic.AI_DATA,
            capacity=30,
        )
        for n in range(EVENTS)
    )
    EventRegistration.objects.bulk_create(
        (
            EventRegistrationFactory.build(
                event=event,
                name=f"Gast {n}",
                email=f"gast{n}.{event.pk}@{MARKER}.example",
                company=companies[n],
                attended=n % 3 > 0,
            )
            for event in events
            for n in range(REGISTRATIONS_PER_EVENT)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Created {Case.objects.count():,} cases, {Session.objects.count():,} sessions, "
        f"{EventRegistration.objects.count():,} registrations in {time.perf_counter() - started:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    create_data()
    setup_test_environment()
    pages = [
        ("coach", "caseload", reverse("coaching:caseload")),
        ("coach", "caseload sorted by next session", reverse("coaching:caseload") + "?ordering=next_session"),
        ("staff", "caseload (city)", reverse("coaching:caseload")),
        ("staff", "caseload overdue only", reverse("coaching:caseload") + "?overdue=true"),
        ("coach", "queue", reverse("coaching:queue")),
        ("staff", "queue (city)", reverse("coaching:queue")),
        ("coach", "event list", reverse("coaching:event_list")),
        ("member", "event list (company)", reverse("coaching:event_list")),
    ]
    users = {
        "coach": User.objects.get(email=f"coach0@{MARKER}.example"),
        "staff": User.objects.get(email=f"staff@{MARKER}.example"),
        "member": User.objects.get(email=f"member@{MARKER}.example"),
    }
    print(f"{'page':38} {'user':7} {'median ms':>10} {'queries':>8}")
    worst = 0.0
    for role, label, url in pages:
        client = Client()
        client.force_login(users[role])
        median, queries = measure(client, url, args.repeat)
        worst = max(worst, median)
        print(f"{label:38} {role:7} {median:10.1f} {queries:8d}")
    print(f"Slowest median: {worst:.1f} ms ({'under' if worst < 150 else 'OVER'} the 150 ms goal)")


if __name__ == "__main__":
    main()
