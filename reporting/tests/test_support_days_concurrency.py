"""Two sessions recorded at the same moment: real concurrent PostgreSQL connections (one per thread).
On a day that has no count yet both add to the day's count, neither is lost or refused; for one company
the enterprise tallies count it once; one person at two events is reached once, from the first. Each
of the last two fails without its lock (the company's row, the person's advisory lock)."""

import datetime
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import CoachFactory
from coaching import services as coaching
from coaching.choices import CaseStatus, ContactForm
from coaching.models import EventRegistration, Session
from coaching.tests.factories import CaseFactory, EventFactory
from companies.tests.factories import CompanyFactory
from digitalfabrik.tests.concurrency import at_once
from programme.tests.factories import FundingPhaseFactory
from reporting import contacts, indicators, tallies
from reporting.indicators import Range
from reporting.models import FirstContact, SupportDay, SupportFact, SupportKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sessions_recorded_at_once_on_a_new_day_both_count():
    coach = CoachFactory()
    cases = [CaseFactory(coach=coach, status=CaseStatus.IN_PROGRESS) for _ in range(2)]
    day = timezone.localdate() - datetime.timedelta(days=2)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    def record(case):
        return lambda: coaching.session_record_held(
            case=case, by=coach, starts_at=at, duration_hours=Decimal(1), form=ContactForm.ONLINE
        )

    results = at_once(*(record(case) for case in cases))

    assert [type(result) for result in results] == [Session, Session]
    assert SupportFact.objects.filter(kind=SupportKind.COACHING, day=day).count() == 2
    assert SupportDay.objects.get(kind=SupportKind.COACHING, day=day).facts == 2


def test_two_sessions_of_one_company_recorded_at_once_count_it_once_in_the_tallies(monkeypatch):
    # Each step alone would see the company unsupported in the quarter and add it: the company's lock
    # makes the second one read the first one's fact, so it is counted once. Each step pauses after
    # writing its fact, so that both have written theirs before either counts.
    count = tallies.facts_changed

    def slowly(**kwargs):
        time.sleep(0.5)
        count(**kwargs)

    monkeypatch.setattr(tallies, "facts_changed", slowly)
    # On two days (one day's count would order them by its row).
    day = timezone.localdate() - datetime.timedelta(days=2)
    days = [day, day - datetime.timedelta(days=1)]
    phase = FundingPhaseFactory(start=day - datetime.timedelta(days=400), end=day + datetime.timedelta(days=400))
    coach = CoachFactory()
    company = CompanyFactory()
    cases = [CaseFactory(coach=coach, company=company, status=CaseStatus.IN_PROGRESS) for _ in range(2)]

    def record(case, on):
        at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        return lambda: coaching.session_record_held(
            case=case, by=coach, starts_at=at, duration_hours=Decimal(1), form=ContactForm.ONLINE
        )

    results = at_once(*(record(case, on) for case, on in zip(cases, days, strict=True)))

    assert [type(result) for result in results] == [Session, Session]
    kept = [Range(start, end) for start, end in tallies.ranges(phase) if start <= days[1] and day <= end]
    maintained = [indicators.enterprise_indicators(phase=phase, period=period) for period in kept]
    assert {figures["supported"] for figures in maintained} == {1}
    assert maintained == [
        indicators.enterprise_indicators(phase=phase, period=period, source="facts") for period in kept
    ]


def test_one_person_at_two_events_recorded_at_once_is_reached_once_from_the_first(monkeypatch):
    # Each step writes the person's first contact anew from the contacts it sees: the person's lock
    # makes the second one read the first one's contact. Each step pauses after writing its contact.
    # (Registrations without a company: no support fact, so no shared count orders the two steps.)
    write = contacts.first_contacts

    def slowly(emails=None):
        time.sleep(0.5)
        write(emails)

    monkeypatch.setattr(contacts, "first_contacts", slowly)
    now = timezone.now()
    phase = FundingPhaseFactory(
        start=timezone.localdate() - datetime.timedelta(days=400),
        end=timezone.localdate() + datetime.timedelta(days=400),
    )
    events = [EventFactory(starts_at=now - datetime.timedelta(days=days)) for days in (2, 3)]
    registrations = [
        EventRegistration.objects.create(event=event, name="Anna Beispiel", email=email)
        for event, email in zip(events, ["anna@example.com", "Anna@Example.com"], strict=True)
    ]

    def record(registration):
        return lambda: coaching.event_record_attendance(event=registration.event, attendance={registration.pk: True})

    results = at_once(*(record(registration) for registration in registrations))

    assert results == [1, 1]
    first_day = timezone.localdate(events[1].starts_at)
    assert list(FirstContact.objects.filter(phase=phase).values_list("email", "day")) == [
        ("anna@example.com", first_day)
    ]
    whole = Range(phase.start, phase.end)
    figures = indicators.coaching_figures(period=whole, phase=phase)
    assert figures["people_reached"] == 1
    assert figures == indicators.coaching_figures(period=whole, source="facts")
