#!/usr/bin/env python
"""Fill a PostgreSQL database with the programme at scale, repeatably (same seed, same data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/generate_scale_data.py --flush

The rows are made by the portal's factories (``<app>/factories.py``, the tests' and the demo's too):
``Factory.build(...)`` with every value drawn here from one seeded random source, then ``bulk_create``
in batches, so 100,000 companies (``--factor 10``) take minutes, not hours.

Default scale (issue 6): 10,000 companies, 5,000 coaching cases, 50,000 sessions, 3,000 voucher
applications across all states, 200 events with 8,000 participants. Each part is a step in STEPS;
a step whose app has no models yet prints "not available" instead of failing.

Also creates the load benchmark's users (bench/load.py logs them in), all with the password
BENCH_PASSWORD and, where the role needs it, the TOTP secret BENCH_TOTP_SECRET:
bench.company@bench.example (member of the first company, which has cases and applications),
bench.coach@bench.example (with a full caseload), bench.staff@bench.example, bench.funder@bench.example.
"""

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.apps import apps  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.factories import UserFactory  # noqa: E402
from accounts.models import Role, User  # noqa: E402
from companies.choices import Chamber, LegalForm, WZSection  # noqa: E402
from companies.factories import CompanyFactory, MembershipFactory  # noqa: E402
from companies.models import Company, Membership  # noqa: E402
from companies.sme import sme_class  # noqa: E402
from programme.choices import Region  # noqa: E402
from programme.factories import PartnerOrganisationFactory  # noqa: E402
from programme.models import PartnerOrganisation  # noqa: E402

BENCH_PASSWORD = "Bench-Passwort-2026"  # noqa: S105 - benchmark users on a throw-away database
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
BENCH_USERS = {
    "company": "bench.company@bench.example",
    "coach": "bench.coach@bench.example",
    "staff": "bench.staff@bench.example",
    "funder": "bench.funder@bench.example",
}
BATCH = 2000
CITIES = {
    Region.DORTMUND: ("Dortmund", "44", Chamber.IHK_DORTMUND),
    Region.BOCHUM: ("Bochum", "44", Chamber.IHK_MITTLERES_RUHRGEBIET),
    Region.HAGEN: ("Hagen", "58", Chamber.SIHK_HAGEN),
    Region.OTHER: ("Witten", "58", Chamber.HWK_DORTMUND),
}
NAME_PARTS = ["Stahl", "Präzision", "Ruhr", "Guss", "Form", "Antrieb", "Blech", "Kunststoff", "Elektro", "Werkzeug"]
NAME_KINDS = ["technik", "bau", "werke", "systeme", "fertigung", "druck", "montage", "service"]


def _has_model(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


class Context:
    """What the steps share: the random source, the scale, and the rows earlier steps created."""

    def __init__(self, *, seed: int, scale: dict[str, int], batch: int = 0):
        self.rng = random.Random(seed)
        # Part of every unique name, so a second batch can be added to the same database.
        self.batch = batch
        self.scale = scale
        self.now = timezone.now().replace(microsecond=0)
        self.password = make_password(BENCH_PASSWORD)
        self.companies: list[Company] = []
        self.members: dict[int, User] = {}
        self.coaches: list[User] = []
        self.partners: list[PartnerOrganisation] = []
        self.users: dict[str, User] = {}
        self.cases: list = []

    def past(self, days: int) -> datetime.datetime:
        return self.now - datetime.timedelta(days=self.rng.randint(1, days), minutes=self.rng.randint(0, 600))


def _insert_in_batches(model, rows) -> int:
    """bulk_create ``rows`` (an iterator) BATCH at a time, so the largest tables never sit in memory whole."""
    count = 0
    while batch := list(itertools.islice(rows, BATCH)):
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


def step_people(ctx: Context) -> dict[str, int]:
    """Partner organisations, coaches and staff, and the benchmark's login users."""
    for short, name, city, kind in [
        ("WFDO", "Wirtschaftsförderung Dortmund", Region.DORTMUND, PartnerOrganisation.Kind.ECONOMIC_DEVELOPMENT),
        ("WEB", "Wirtschaftsentwicklung Bochum GmbH", Region.BOCHUM, PartnerOrganisation.Kind.ECONOMIC_DEVELOPMENT),
        ("HAGENagentur", "HAGENagentur GmbH", Region.HAGEN, PartnerOrganisation.Kind.ECONOMIC_DEVELOPMENT),
        ("IHK DO", "IHK zu Dortmund", Region.DORTMUND, PartnerOrganisation.Kind.CHAMBER),
    ]:
        partner = PartnerOrganisationFactory(short_name=short, name=name, city=city, kind=kind, is_lead=short == "WFDO")
        ctx.partners.append(partner)
    coaches = [
        UserFactory.build(
            email=f"coach{index:02d}@bench.example",
            first_name="Coach",
            last_name=f"{index:02d}",
            role=Role.COACH,
            partner=ctx.partners[index % 3],
            responsible_for=list(CITIES)[index % 3],
            password=ctx.password,
        )
        for index in range(12)
    ]
    ctx.coaches = User.objects.bulk_create(coaches)
    for role, email in BENCH_USERS.items():
        user = UserFactory(
            email=email,
            first_name="Bench",
            last_name=role.title(),
            role={"company": Role.COMPANY, "coach": Role.COACH, "staff": Role.STAFF, "funder": Role.FUNDER}[role],
            partner=ctx.partners[0] if role in ("coach", "staff") else None,
            responsible_for=Region.DORTMUND if role == "coach" else "",
            password=ctx.password,
            totp=False,
        )
        if user.requires_mfa:
            TOTP.activate(user, BENCH_TOTP_SECRET)
        ctx.users[role] = user
    ctx.coaches.append(ctx.users["coach"])
    return {"partner organisations": len(ctx.partners), "coaches": len(ctx.coaches), "bench login users": 4}


def step_companies(ctx: Context) -> dict[str, int]:
    """Companies with one member each; size classes derived by the one SME rule."""
    rng = ctx.rng
    companies, users = [], []
    for index in range(ctx.scale["companies"]):
        region = rng.choices(list(CITIES), weights=[4, 3, 2, 1])[0]
        city, postcode_prefix, chamber = CITIES[region]
        headcount = Decimal(rng.choice([3, 8, 15, 30, 45, 90, 160, 240, 400]))
        turnover = Decimal(rng.randrange(200_000, 60_000_000, 10_000))
        balance = (turnover * Decimal(rng.uniform(0.3, 0.9))).quantize(Decimal("1"))
        name = f"{rng.choice(NAME_PARTS)}{rng.choice(NAME_KINDS)} {ctx.batch}-{index:05d}"
        companies.append(
            CompanyFactory.build(
                name=name,
                legal_form=rng.choice(LegalForm.values),
                street=f"Industriestraße {rng.randint(1, 200)}",
                postcode=f"{postcode_prefix}{rng.randint(100, 999)}",
                city=city,
                region=region,
                chamber=chamber,
                wz_section=rng.choices([WZSection.C, WZSection.F, WZSection.G, WZSection.J], weights=[7, 1, 1, 1])[0],
                wz_code=f"{rng.randint(10, 33)}.{rng.randint(1, 99)}",
                founding_date=datetime.date(rng.randint(1900, 2025), rng.randint(1, 12), rng.randint(1, 28)),
                staff_headcount=headcount,
                annual_turnover=turnover,
                balance_sheet_total=balance,
                contact_name=f"Kontakt {index:05d}",
                contact_email=f"kontakt{ctx.batch}-{index:05d}@firma.bench.example",
                linked_enterprises_included=True,
                size_class=sme_class(headcount=headcount, turnover=turnover, balance_sheet_total=balance),
                responsible_partner=None,
            )
        )
        users.append(
            UserFactory.build(
                email=f"firma{ctx.batch}-{index:05d}@firma.bench.example",
                first_name="Mitglied",
                last_name=f"{index:05d}",
                role=Role.COMPANY,
                password=ctx.password,
            )
        )
    ctx.companies = Company.objects.bulk_create(companies, batch_size=BATCH)
    members = User.objects.bulk_create(users, batch_size=BATCH)
    memberships = [
        MembershipFactory.build(company=company, user=user)
        for company, user in zip(ctx.companies, members, strict=True)
    ]
    memberships.append(MembershipFactory.build(company=ctx.companies[0], user=ctx.users["company"]))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    ctx.members = {company.pk: user for company, user in zip(ctx.companies, members, strict=True)}
    return {"companies": len(ctx.companies), "company users": len(members)}


def step_coaching(ctx: Context) -> dict[str, int]:
    """Coaching cases in every status, with held and planned sessions."""
    from coaching.choices import CaseOutcome, CaseStatus, ContactForm, SessionStatus
    from coaching.factories import CaseFactory, SessionFactory
    from coaching.models import Case, Session
    from programme.choices import Topic

    rng = ctx.rng
    # The first company and the bench coach get a realistic share, so their pages have content.
    cases = []
    for index in range(ctx.scale["cases"]):
        company = ctx.companies[0] if index < 5 else rng.choice(ctx.companies)
        status = rng.choices(CaseStatus.values, weights=[1, 3, 1, 1, 1, 3])[0]
        closed = status == CaseStatus.CLOSED
        coach = (
            None if status == CaseStatus.NEW else (ctx.users["coach"] if index % 13 == 0 else rng.choice(ctx.coaches))
        )
        cases.append(
            CaseFactory.build(
                company=company,
                topic=rng.choice(Topic.values),
                description=f"Bedarf {index}: Digitalisierung der Auftragsabwicklung.",
                preferred_form=rng.choice(ContactForm.values),
                status=status,
                outcome=rng.choice(CaseOutcome.values) if closed else "",
                closed_at=ctx.past(300) if closed else None,
                coach=coach,
                requested_by=ctx.members[company.pk],
            )
        )
    ctx.cases = Case.objects.bulk_create(cases, batch_size=BATCH)
    assigned = [case for case in ctx.cases if case.coach_id]

    def sessions():
        for index in range(ctx.scale["sessions"]):
            case = assigned[index % len(assigned)] if index < len(assigned) else rng.choice(assigned)
            held = rng.random() < 0.8
            yield SessionFactory.build(
                case=case,
                status=SessionStatus.HELD if held else SessionStatus.PLANNED,
                starts_at=ctx.past(700) if held else ctx.now + datetime.timedelta(days=rng.randint(1, 90)),
                duration_hours=Decimal(rng.choice(["1.00", "1.50", "2.00", "3.00"])),
                form=rng.choice(ContactForm.values),
                shared_notes="Ergebnis besprochen." if held else "",
                created_by=case.coach,
            )

    counts = {"coaching cases": len(ctx.cases), "sessions": _insert_in_batches(Session, sessions())}
    # What coaching.services.session_record_held keeps on the case at its first held session.
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE coaching_case c SET first_held_at = s.first, support_size_class = co.size_class,
                   support_region = co.region, support_city = co.city, support_partner_id = co.responsible_partner_id
               FROM (SELECT case_id, min(starts_at) AS first FROM coaching_session WHERE status = 'held'
                     GROUP BY case_id) s, companies_company co
               WHERE s.case_id = c.id AND co.id = c.company_id AND c.id = ANY(%s)""",
            [[case.pk for case in ctx.cases]],
        )
    return counts


def step_events(ctx: Context) -> dict[str, int]:
    """Events with registrations; past events have attendance."""
    from coaching.choices import EventKind
    from coaching.factories import EventFactory, EventRegistrationFactory
    from coaching.models import Event, EventRegistration
    from programme.choices import Topic

    rng = ctx.rng
    events = Event.objects.bulk_create(
        [
            EventFactory.build(
                title=f"Workshop {index:03d}: {rng.choice(Topic.labels)}",
                kind=rng.choice(EventKind.values),
                starts_at=ctx.past(900) if index % 5 else ctx.now + datetime.timedelta(days=rng.randint(1, 120)),
                place=rng.choice(["Dortmund", "Bochum", "Hagen"]),
                organiser=rng.choice(ctx.partners),
                topic=rng.choice(Topic.values),
                capacity=60,
            )
            for index in range(ctx.scale["events"])
        ]
    )
    per_event = ctx.scale["participants"] // max(len(events), 1)
    registrations = []
    for event in events:
        attended = event.starts_at < ctx.now
        for seat in range(per_event):
            company = rng.choice(ctx.companies)
            registrations.append(
                EventRegistrationFactory.build(
                    event=event,
                    name=f"Teilnehmer {event.pk}-{seat}",
                    email=f"p{event.pk}-{seat}@firma.bench.example",
                    company=company,
                    registered_by=ctx.members[company.pk],
                    attended=attended and rng.random() < 0.85,
                )
            )
    EventRegistration.objects.bulk_create(registrations, batch_size=BATCH)
    return {"events": len(events), "event participants": len(registrations)}


def step_vouchers(ctx: Context) -> dict[str, int]:
    """Voucher applications spread over every state, within one funding phase's budget."""
    from innoscheck.factories import ApplicationFactory
    from innoscheck.models import Application
    from innoscheck.workflow import Status
    from programme.choices import Topic
    from programme.factories import FundingPhaseFactory
    from programme.models import FundingPhase

    rng = ctx.rng
    count = ctx.scale["applications"]
    phase = FundingPhaseFactory(
        name=f"Bench phase {ctx.batch}",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2027, 12, 31),
        total_budget=Decimal(count * 10_000 + 1_000_000),
        voucher_budget=Decimal(count * 10_000),
    )
    decided = {Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED, Status.PAID, Status.EXPIRED, Status.REJECTED}
    with_voucher = {Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED, Status.PAID, Status.EXPIRED}
    statuses = list(Status.values)
    applications = []
    for index in range(count):
        company = ctx.companies[0] if index == 0 else rng.choice(ctx.companies)
        status = statuses[index % len(statuses)] if index < len(statuses) * 2 else rng.choice(statuses)
        days = Decimal(rng.choice([3, 5, 8, 10]))
        rate = Decimal(rng.choice([800, 950, 1000, 1200]))
        requested = min(days * rate, Decimal("10000"))
        submitted = None if status == Status.DRAFT else ctx.past(500)
        approved = requested if status in with_voucher else None
        decided_at = submitted + datetime.timedelta(days=rng.randint(3, 40)) if status in decided else None
        applications.append(
            ApplicationFactory.build(
                company=company,
                expert=None,
                phase=phase,
                created_by=ctx.members[company.pk],
                partner=rng.choice(ctx.partners),
                status=status,
                topic=rng.choice(Topic.values),
                title=f"Digitalisierungsschritt {index:04d}",
                description="Einführung eines digitalen Werkzeugs mit externer Begleitung.",
                goals="Durchlaufzeit senken.",
                expert_days=days,
                daily_rate=rate,
                calculated_amount=days * rate,
                requested_amount=requested,
                sme_confirmed=True,
                deminimis_declaration="none",
                submitted_at=submitted,
                decided_at=decided_at,
                approved_at=decided_at if approved is not None else None,
                grant_withdrawn_at=decided_at + datetime.timedelta(days=190) if status == Status.EXPIRED else None,
                support_size_class=company.size_class if approved is not None else "",
                support_region=company.region if approved is not None else "",
                support_city=company.city if approved is not None else "",
                approved_amount=approved,
                voucher_number=f"IS-B{ctx.batch}-{index:05d}" if approved is not None else None,
                valid_until=(ctx.now + datetime.timedelta(days=180)).date() if approved is not None else None,
                verified_amount=approved if status in (Status.VERIFIED, Status.PAID) else None,
                paid_at=ctx.past(100) if status == Status.PAID else None,
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH)
    reserved = sum(
        (
            a.approved_amount
            for a in applications
            if a.status in (Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED)
        ),
        Decimal(0),
    )
    spent = sum((a.approved_amount for a in applications if a.status == Status.PAID), Decimal(0))
    FundingPhase.objects.filter(pk=phase.pk).update(reserved_amount=reserved, spent_amount=spent)
    return {"voucher applications": len(applications), "states": len({a.status for a in applications})}


def step_figures(ctx: Context) -> dict[str, int]:
    """The maintained indicator facts of everything written in bulk above (manage.py rebuild_indicators)."""
    from reporting import facts

    return {"support facts": facts.rebuild()}


# (name, function, models it needs). Add a step here when a new part of the programme lands.
STEPS = [
    ("people", step_people, ["accounts.User"]),
    ("companies", step_companies, ["companies.Company"]),
    ("coaching", step_coaching, ["coaching.Case", "coaching.Session"]),
    ("events", step_events, ["coaching.Event", "coaching.EventRegistration"]),
    ("vouchers", step_vouchers, ["innoscheck.Application", "programme.FundingPhase"]),
    ("figures", step_figures, ["reporting.SupportFact"]),
]
DEFAULT_SCALE = {
    "companies": 10_000,
    "cases": 5_000,
    "sessions": 50_000,
    "applications": 3_000,
    "events": 200,
    "participants": 8_000,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--flush", action="store_true", help="empty the database first (required if it has data)")
    parser.add_argument("--factor", type=float, default=1.0, help="scale every count, e.g. 0.01 for a quick run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", interactive=False, verbosity=0)
    if args.flush:
        call_command("flush", interactive=False, verbosity=0)
    elif Company.objects.exists():
        parser.error("the database already has companies: pass --flush to replace them")
    scale = {key: max(1, round(value * args.factor)) for key, value in DEFAULT_SCALE.items()}
    ctx = Context(seed=args.seed, scale=scale)
    print(f"database {connection.settings_dict['NAME']}, seed {args.seed}")
    for name, step, models in STEPS:
        if not all(_has_model(label) for label in models):
            print(f"  {name:<10} not available (no {', '.join(m for m in models if not _has_model(m))} yet)")
            continue
        started = time.monotonic()
        with transaction.atomic():
            figures = step(ctx)
        summary = ", ".join(f"{value:,} {label}" for label, value in figures.items())
        print(f"  {name:<10} {summary} ({time.monotonic() - started:.1f} s)")
    # The state autovacuum reaches on a running system: planner statistics, and visibility maps so the
    # indicator queries' index-only scans do not visit the heap (bulk inserts leave them unset).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
