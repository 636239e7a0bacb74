"""The maintained support facts (written by the subscriber in the workflow's transaction) always equal
a full rebuild from the source tables, and so do their per-company summary, their count per day and
the figures read from any of them, and the enterprise tallies, whatever happens in which order:
approvals, withdrawals, sessions held and moved, attendance, projects, companies that grow, move and
have their founding date changed; and the people reached from the maintained contacts, with the same
persons coming again to sessions and events."""

import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import CoachFactory, StaffFactory
from coaching import services as coaching
from coaching.choices import ContactForm, SessionStatus
from coaching.models import EventRegistration
from coaching.tests.factories import CaseFactory, EventFactory, SessionFactory
from companies import services as companies
from companies.tests.factories import CompanyFactory
from innoscheck import services as innoscheck
from innoscheck.tests.factories import ApplicationFactory
from innoscheck.workflow import Status
from programme.choices import Region, Topic
from programme.tests.factories import FundingPhaseFactory
from reporting import facts, indicators, tallies
from reporting.indicators import Range
from reporting.models import (
    CompanySupport,
    EnterpriseTally,
    FirstContact,
    PersonContact,
    SupportDay,
    SupportFact,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime.datetime(2026, 1, 5, 10, tzinfo=BERLIN)
COMPANIES = 4

steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["approve", "withdraw", "session", "correct", "attendance", "project", "meeting", "move", "grow", "found"]
        ),
        st.integers(min_value=0, max_value=COMPANIES - 1),
        st.integers(min_value=1, max_value=20),
    ),
    min_size=1,
    max_size=10,
)


class World:
    def __init__(self):
        self.phase = FundingPhaseFactory(
            start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31), max_active_vouchers=5
        )
        self.staff, self.coach = StaffFactory(), CoachFactory()
        self.companies = [
            CompanyFactory(staff_headcount=Decimal(5 + 40 * (index % 2)), annual_turnover=Decimal("900000"))
            for index in range(COMPANIES)
        ]
        self.cases = [CaseFactory(company=company, coach=self.coach) for company in self.companies]
        self.vouchers, self.projects, self.sessions = [], [], []

    def step(self, action: str, index: int, days: int, now: datetime.datetime) -> None:
        company = self.companies[index]
        if action == "approve":
            application = ApplicationFactory(
                company=company, phase=self.phase, status=Status.IN_REVIEW, with_files=False
            )
            try:
                innoscheck.application_approve(application=application, by=self.staff, amount=Decimal("2000"))
            except ValidationError:
                return
            self.vouchers.append(application)
        elif action == "withdraw" and self.vouchers:
            application = self.vouchers.pop(index % len(self.vouchers))
            [
                lambda: innoscheck.application_cancel(application=application, by=self.staff, reason="Verzicht"),
                lambda: innoscheck.application_reject(application=application, by=self.staff, reason="Widerruf"),
                lambda: innoscheck.application_expire(application=application),
            ][days % 3]()
        elif action == "session":
            session = coaching.session_record_held(
                case=self.cases[index],
                by=self.coach,
                starts_at=now - datetime.timedelta(days=days % 4),
                duration_hours=Decimal("1.5"),
                form=ContactForm.ONLINE,
                # The same persons come again, written differently (people reached: each once).
                participants=[{"name": "Anna", "email": f"Person{days % 3}@Example.com"}],
            )
            self.sessions.append(session)
        elif action == "correct" and self.sessions:
            # A held session moved to another day: its fact leaves one day's count for another's.
            session = self.sessions[index % len(self.sessions)]
            try:
                coaching.session_correct(
                    session=session,
                    by=self.coach,
                    starts_at=session.starts_at - datetime.timedelta(days=days % 5 + 1),
                    duration_hours=Decimal("1.5"),
                    form=ContactForm.ONLINE,
                    participants=[{"name": "Bert", "email": f"person{days % 4}@example.com"}],
                )
            except ValidationError:  # past its 14 days
                return
        elif action == "attendance":
            event = EventFactory(starts_at=now - datetime.timedelta(hours=days))
            registrations = [
                EventRegistration.objects.create(
                    event=event, name=f"Person {n}", email=f"person{(n + days) % 5}@example.com", company=other
                )
                for n, other in enumerate(self.companies)
            ]
            coaching.event_record_attendance(
                event=event, attendance={r.pk: bool((r.pk + days) % 2) for r in registrations}
            )
        elif action == "project":
            members = [other for n, other in enumerate(self.companies) if (n + days) % 3 != 0]
            project = self.projects[0] if self.projects and days % 2 else None
            self.projects.append(
                coaching.project_save(
                    title=f"Projekt {days}", topic=Topic.AI_DATA, coach=self.coach, companies=members, project=project
                )
            )
        elif action == "meeting" and self.projects:
            coaching.project_meeting_add(project=self.projects[-1], starts_at=now - datetime.timedelta(days=1))
        elif action in ("move", "grow", "found"):
            change = {
                "move": {"city": f"Stadt {days}", "region": Region.OTHER},
                "grow": {"staff_headcount": Decimal(days * 12), "annual_turnover": Decimal(days) * 2_000_000},
                # A founding date around the three-year line, confirmed or not (the new-enterprise figure).
                "found": {
                    "founding_date": datetime.date(2023, 1, 1) + datetime.timedelta(days=days - 10),
                    "founding_date_confirmed": bool(days % 3),
                },
            }[action]
            companies.company_update(company=company, by=self.staff, **companies.company_profile(company) | change)


def _facts(world) -> list[tuple]:
    return list(
        SupportFact.objects.filter(company__in=world.companies)
        .order_by("source")
        .values_list("source", "scope", "kind", "company_id", "phase_id", "at", "day", "size_class", "city")
    )


# A month, ranges from the phase's start (what the per-company summary serves) to days within the
# steps' span, and the preset periods whose figures the tallies keep (quarter, half-year, year, the
# phase; a quarter cumulatively).
def _periods(world) -> list[Range]:
    start = world.phase.start
    return [
        Range(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        *(Range(start, START.date() + datetime.timedelta(days=days)) for days in (3, 9, 15, 24)),
        Range(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        Range(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        Range(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
        Range(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        Range(start, world.phase.end),
    ]


def _figures(world, source: str = "auto") -> list:
    figures = []
    for period in _periods(world):
        enterprises = indicators.enterprise_indicators(phase=world.phase, period=period, source=source)
        # "auto": held sessions from their count per day, companies coached from the enterprise figures.
        coached = enterprises["coached"] if source == "auto" else None
        figures.append(
            (
                enterprises,
                indicators.coaching_figures(period=period, companies_coached=coached, source=source, phase=world.phase),
                indicators.supported_by_city(phase=world.phase, period=period, source=source),
                list(indicators.supported_companies_annex(phase=world.phase, period=period, source=source)),
            )
        )
    return figures


def _tallies() -> list[tuple]:
    return sorted(
        EnterpriseTally.objects.exclude(companies=0).values_list("phase_id", "start", "end", *tallies.KEY, "companies")
    )


def _days() -> list[tuple]:
    return list(SupportDay.objects.exclude(facts=0).order_by("kind", "day").values_list("kind", "day", "facts"))


def _contacts() -> list[tuple]:
    return sorted(PersonContact.objects.values_list("scope", "email", "day")), sorted(
        FirstContact.objects.values_list("phase_id", "email", "day")
    )


def _summary(world) -> list[tuple]:
    return list(
        CompanySupport.objects.filter(company__in=world.companies)
        .order_by("company_id", "phase_id")
        .values_list(*[field.attname for field in CompanySupport._meta.fields if field.name != "id"])
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_maintained_facts_equal_a_full_rebuild(sequence):
    with time_machine.travel(START, tick=False) as clock:
        world = World()
        for number, (action, index, days) in enumerate(sequence):
            clock.move_to(START + datetime.timedelta(days=2 * number + 1))
            world.step(action, index, days, START + datetime.timedelta(days=2 * number + 1))
        maintained, maintained_summary, maintained_figures = _facts(world), _summary(world), _figures(world)
        maintained_days, maintained_tallies, maintained_contacts = _days(), _tallies(), _contacts()
        # The figures read from the tallies, the summary and the day counts where they serve the range
        # equal those read from the facts.
        assert maintained_figures == _figures(world, source="facts")
        facts.rebuild()
        assert _facts(world) == maintained
        assert _summary(world) == maintained_summary
        assert _days() == maintained_days
        assert _tallies() == maintained_tallies
        assert _contacts() == maintained_contacts
        assert _figures(world) == maintained_figures


def test_rebuild_command_writes_the_facts_of_bulk_data():
    company = CompanyFactory()
    phase = FundingPhaseFactory()
    ApplicationFactory(
        company=company,
        phase=phase,
        status=Status.APPROVED,
        approved_amount=Decimal("1000"),
        approved_at=START,
        decided_at=START,
        voucher_number="ISR-T-1",
        with_files=False,
    )
    assert not SupportFact.objects.filter(company=company).exists()
    output = StringIO()
    call_command("rebuild_indicators", stdout=output)
    fact = SupportFact.objects.get(company=company)
    assert (fact.kind, fact.phase, fact.day, fact.size_class) == (1, phase, START.date(), company.size_class)
    assert "support facts written" in output.getvalue()


def test_a_rolled_back_approval_leaves_no_fact():
    application = ApplicationFactory(status=Status.IN_REVIEW, with_files=False)
    with pytest.raises(ValidationError):
        innoscheck.application_approve(application=application, by=StaffFactory(), amount=Decimal("999999"))
    assert not SupportFact.objects.filter(company=application.company).exists()


def test_new_dates_of_a_phase_rewrite_the_summary_and_a_new_name_does_not():
    phase = FundingPhaseFactory(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31))
    SessionFactory(status=SessionStatus.HELD, starts_at=datetime.datetime(2026, 3, 10, 10, tzinfo=BERLIN))
    facts.rebuild()  # made by a factory, not through the services
    rows = list(CompanySupport.objects.filter(phase=phase).values_list("pk", flat=True))
    assert len(rows) == 1

    phase.name = "Phase 1 (umbenannt)"
    phase.save()
    assert list(CompanySupport.objects.filter(phase=phase).values_list("pk", flat=True)) == rows  # not rewritten

    phase.start = datetime.date(2026, 4, 1)  # the session now lies before the phase
    phase.save()
    assert not CompanySupport.objects.filter(phase=phase).exists()
    whole_phase = Range(phase.start, phase.end)
    assert indicators.enterprise_indicators(phase=phase, period=whole_phase)["supported"] == 0
    assert indicators.enterprise_indicators(phase=phase, period=whole_phase, source="facts")["supported"] == 0
