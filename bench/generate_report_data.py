"""Fill PostgreSQL with a full funding phase for the report benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench \
        .venv/bin/python bench/generate_report_data.py --companies 5000

Creates the phase "Benchmark phase" with N supported companies: about 60 % with an approved or paid
voucher, every company with a held coaching session (two participants), a third at one of 40 events,
and some rejected applications. The rows are made by the portal's factories (``.build()``, every value
given here, so the data are the same on every run) and written with ``bulk_create`` in batches.
Running it again replaces the benchmark data.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")

PHASE_NAME = "Benchmark phase"
PREFIX = "Bench "
BATCH = 2000
BERLIN = ZoneInfo("Europe/Berlin")
CITIES = ["Dortmund", "Bochum", "Hagen", "Witten", "Unna", "Herne", "Schwerte", "Iserlohn"]
REGIONS = ["dortmund", "bochum", "hagen", "other"]
SIZES = ["micro", "small", "medium"]


def generate(*, companies: int) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.factories import UserFactory
    from accounts.models import Role, User
    from coaching.choices import CaseStatus, ContactForm, EventKind, SessionStatus
    from coaching.factories import (
        CaseFactory,
        EventFactory,
        EventRegistrationFactory,
        SessionFactory,
        SessionParticipantFactory,
    )
    from coaching.models import Case, Event, EventRegistration, Session, SessionParticipant
    from companies.choices import Chamber, LegalForm, WZSection
    from companies.factories import CompanyFactory
    from companies.models import Company
    from innoscheck.factories import ApplicationFactory
    from innoscheck.models import Application
    from innoscheck.workflow import Status
    from programme.choices import Region, Topic
    from programme.factories import PartnerOrganisationFactory
    from programme.models import FundingPhase, PartnerOrganisation

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        phase, _ = FundingPhase.objects.update_or_create(
            name=PHASE_NAME,
            defaults={
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2026, 12, 31),
                "total_budget": Decimal("60000000.00"),
                "voucher_budget": Decimal("50000000.00"),
            },
        )
        user = User.objects.filter(email="bench@digitale-fabrik.example").first() or UserFactory(
            email="bench@digitale-fabrik.example", role=Role.COMPANY, first_name="Bench", last_name="Firma"
        )
        partner = PartnerOrganisationFactory(
            short_name="BENCH", name="Benchmark partner", kind=PartnerOrganisation.Kind.CHAMBER, city=Region.DORTMUND
        )
        with connection.cursor() as cursor:
            for statement in CLEANUP:
                cursor.execute(statement, {"phase": phase.pk, "prefix": PREFIX})

        # Companies: sizes, cities and founding years spread over the range.
        rows = [
            CompanyFactory.build(
                name=f"{PREFIX}Metallbau {n:05d} GmbH & Co. KG",
                legal_form=LegalForm.GMBH_CO_KG,
                street=f"Industriestr. {n}",
                postcode=f"{44000 + n % 1000:05d}",
                city=CITIES[n % len(CITIES)],
                region=REGIONS[n % len(REGIONS)],
                chamber=Chamber.IHK_DORTMUND,
                wz_section=WZSection.C,
                wz_code="25.62",
                founding_date=datetime.date(1960 + n % 65, 1 + n % 12, 1 + n % 28),
                staff_headcount=Decimal(5 + n % 200),
                annual_turnover=Decimal(1_000_000 + n * 1000),
                balance_sheet_total=Decimal(900_000 + n * 900),
                contact_name=f"Kontakt {n}",
                contact_email=f"kontakt{n}@bench.example",
                size_class=SIZES[n % len(SIZES)],
                responsible_partner=None,
            )
            for n in range(1, companies + 1)
        ]
        made = Company.objects.bulk_create(rows, batch_size=BATCH)

        # Vouchers: 60 % granted (half of them paid) over 30 months of the phase; some rejected.
        first_submission = datetime.datetime(2024, 1, 15, 10, tzinfo=BERLIN)
        applications = []
        for n, company in enumerate(made, start=1):
            if n % 10 < 6:
                submitted = first_submission + datetime.timedelta(days=n % 900)
                amount = Decimal(2000 + (n % 80) * 100)
                paid = n % 2 == 0
                applications.append(
                    ApplicationFactory.build(
                        company=company,
                        phase=phase,
                        created_by=user,
                        partner=partner,
                        expert=None,
                        status=Status.PAID if paid else Status.APPROVED,
                        topic=Topic.values[n % len(Topic.values)],
                        title=f"Digitalisierungsschritt {n}",
                        description="",
                        goals="",
                        requested_amount=amount,
                        submitted_at=submitted,
                        decided_at=submitted + datetime.timedelta(days=5 + n % 40),
                        approved_at=submitted + datetime.timedelta(days=5 + n % 40),
                        support_size_class=company.size_class,
                        support_region=company.region,
                        support_city=company.city,
                        approved_amount=amount,
                        voucher_number=f"ISR-B-{n}",
                        valid_until=(submitted + datetime.timedelta(days=200)).date(),
                        verified_amount=amount if paid else None,
                        paid_at=submitted + datetime.timedelta(days=150) if paid else None,
                    )
                )
            elif n % 10 == 7:
                submitted = datetime.datetime(2024, 2, 1, 10, tzinfo=BERLIN) + datetime.timedelta(days=n % 800)
                applications.append(
                    ApplicationFactory.build(
                        company=company,
                        phase=phase,
                        created_by=user,
                        partner=partner,
                        expert=None,
                        status=Status.REJECTED,
                        topic=Topic.IT_SECURITY,
                        title=f"Abgelehnt {n}",
                        description="",
                        goals="",
                        requested_amount=Decimal(9000),
                        submitted_at=submitted,
                        decided_at=submitted + datetime.timedelta(days=19),
                    )
                )
        Application.objects.bulk_create(applications, batch_size=BATCH)

        # One coaching case per company with a held session and two participants.
        # The case keeps the company as it was at its first held session (the figures count by it).
        first_session = datetime.datetime(2024, 1, 10, 9, tzinfo=BERLIN)
        cases = Case.objects.bulk_create(
            [
                CaseFactory.build(
                    company=company,
                    topic=Topic.IT_SECURITY,
                    description="Benchmark",
                    preferred_form=ContactForm.ONLINE,
                    status=CaseStatus.IN_PROGRESS,
                    first_held_at=first_session + datetime.timedelta(days=n % 1000),
                    support_size_class=company.size_class,
                    support_region=company.region,
                    support_city=company.city,
                )
                for n, company in enumerate(made)
            ],
            batch_size=BATCH,
        )
        sessions = Session.objects.bulk_create(
            [
                SessionFactory.build(
                    case=case,
                    status=SessionStatus.HELD,
                    starts_at=case.first_held_at,
                    duration_hours=Decimal(2),
                    form=ContactForm.ONLINE,
                )
                for case in cases
            ],
            batch_size=BATCH,
        )
        SessionParticipant.objects.bulk_create(
            [
                SessionParticipantFactory.build(
                    session=session, name=f"Person {session.pk}-{k}", email=f"person{session.pk}-{k}@bench.example"
                )
                for session in sessions
                for k in (1, 2)
            ],
            batch_size=BATCH,
        )

        # 40 events; a third of the companies attend one.
        first_event = datetime.datetime(2024, 2, 1, 17, tzinfo=BERLIN)
        events = Event.objects.bulk_create(
            [
                EventFactory.build(
                    title=f"{PREFIX}Workshop {g}",
                    kind=EventKind.WORKSHOP,
                    starts_at=first_event + datetime.timedelta(days=g * 20),
                    place="Dortmund",
                    organiser=partner,
                    topic=Topic.AI_DATA,
                    capacity=500,
                )
                for g in range(1, 41)
            ]
        )
        EventRegistration.objects.bulk_create(
            [
                EventRegistrationFactory.build(
                    event=events[n % len(events)],
                    name=f"Gast {n}",
                    email=f"gast{n}@bench.example",
                    company=company,
                    attended=True,
                )
                for n, company in enumerate(made, start=1)
                if n % 3 == 0
            ],
            batch_size=BATCH,
        )
    return {"queries": len(queries), "seconds": round(time.monotonic() - started, 2), "phase": phase.pk}


CLEANUP = [
    # Remove the previous run's records (children first).
    """DELETE FROM reporting_companysupport WHERE company_id IN
           (SELECT id FROM companies_company WHERE name LIKE %(prefix)s || '%%')""",
    """DELETE FROM reporting_supportfact WHERE company_id IN
           (SELECT id FROM companies_company WHERE name LIKE %(prefix)s || '%%')""",
    """DELETE FROM coaching_eventregistration WHERE event_id IN
           (SELECT id FROM coaching_event WHERE title LIKE %(prefix)s || '%%')""",
    "DELETE FROM coaching_event WHERE title LIKE %(prefix)s || '%%'",
    """DELETE FROM coaching_sessionparticipant WHERE session_id IN (SELECT s.id FROM coaching_session s
           JOIN coaching_case c ON c.id = s.case_id JOIN companies_company co ON co.id = c.company_id
           WHERE co.name LIKE %(prefix)s || '%%')""",
    """DELETE FROM coaching_session WHERE case_id IN (SELECT c.id FROM coaching_case c
           JOIN companies_company co ON co.id = c.company_id WHERE co.name LIKE %(prefix)s || '%%')""",
    """DELETE FROM coaching_case WHERE company_id IN
           (SELECT id FROM companies_company WHERE name LIKE %(prefix)s || '%%')""",
    "DELETE FROM innoscheck_application WHERE phase_id = %(phase)s",
    "DELETE FROM companies_company WHERE name LIKE %(prefix)s || '%%'",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=5000)
    args = parser.parse_args()
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (generate_series is PostgreSQL's).")
    result = generate(companies=args.companies)
    print(f"{args.companies} companies in phase {result['phase']}: ", end="")
    print(f"{result['queries']} SQL statements, {result['seconds']} s")
    # The figures read the maintained support facts, which bulk inserts do not write (as after any bulk load).
    from reporting import facts

    started = time.monotonic()
    print(f"{facts.rebuild()} support facts and their summary written, {time.monotonic() - started:.2f} s")
    # Statistics for the planner, as after any bulk load: until autovacuum gets to the new rows (it is
    # off on some machines, this one included) the planner believes every table holds one row, and the
    # annex's join to the vouchers' aid took 3.4 s instead of milliseconds (a nested loop over 5,000
    # companies and 2,100 aid groups).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
