"""The funder's start page: the year so far from the maintained counts, equal to the full computation."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import FunderFactory
from coaching.choices import SessionStatus
from coaching.models import Event, Session, SessionParticipant
from coaching.selectors import people_reached
from coaching.tests.factories import CaseFactory, EventFactory, SessionFactory
from reporting import facts, selectors

from .factories import at

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# 1 December 2026, shortly after midnight in Berlin: still 30 November in UTC.
TODAY = datetime.datetime(2026, 12, 1, 0, 30, tzinfo=BERLIN)


def _full(today: datetime.date) -> dict:
    """The figures counted from the sessions, participants and events themselves."""
    start = today.replace(month=1, day=1)
    held = Session.objects.filter(status=SessionStatus.HELD, starts_at__date__range=(start, today))
    return {
        "sessions_held": held.count(),
        "people_reached": people_reached(start=start, end=today),
        "events": Event.objects.filter(starts_at__date__range=(start, today)).count(),
    }


@pytest.fixture
def last_year_and_today(programme):
    """Beside the programme's 2026 records: a session and an event of last December, and a session and
    an event early on the page's own day (in Berlin; the evening before in UTC)."""
    old = SessionFactory(case=CaseFactory(), status=SessionStatus.HELD, starts_at=at(2025, 12, 30))
    SessionParticipant.objects.create(session=old, name="Otto Alt", email="otto@old.example")
    EventFactory(starts_at=at(2025, 12, 15))
    early = SessionFactory(
        case=CaseFactory(), status=SessionStatus.HELD, starts_at=datetime.datetime(2026, 12, 1, 0, 10, tzinfo=BERLIN)
    )
    SessionParticipant.objects.create(session=early, name="Frieda Früh", email="frieda@early.example")
    EventFactory(starts_at=datetime.datetime(2026, 12, 1, 0, 15, tzinfo=BERLIN))
    facts.rebuild()


def test_the_year_so_far_equals_the_full_computation(last_year_and_today):
    with time_machine.travel(TODAY, tick=False):
        figures = selectors.funder_start_page()
        # 2026: the February session and today's; Paula, Peter, Gerd and Frieda (Paula once, though
        # she came to the session and both events); the two May events and today's.
        assert figures == {"sessions_held": 2, "people_reached": 4, "events": 3}
        assert figures == _full(datetime.date(2026, 12, 1))


def test_the_funder_sees_them_on_the_start_page_in_german_and_english(last_year_and_today, client):
    client.force_login(FunderFactory())
    with time_machine.travel(TODAY, tick=False):
        german = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
        english = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german, english = (re.sub(r"\s+", " ", html) for html in (german, english))
    assert "InnovationCoach in diesem Jahr" in german
    assert "4</div>erreichte Personen<" in german
    assert "2</div>durchgeführte Termine<" in german
    assert "3</div>Veranstaltungen<" in german
    assert "4</div>people reached<" in english
    assert "2</div>sessions held<" in english


def test_one_of_each_is_named_in_the_singular(client):
    session = SessionFactory(case=CaseFactory(), status=SessionStatus.HELD, starts_at=at(2026, 6, 1))
    SessionParticipant.objects.create(session=session, name="Ina Eins", email="ina@one.example")
    EventFactory(starts_at=at(2026, 6, 2))
    facts.rebuild()
    client.force_login(FunderFactory())
    with time_machine.travel(TODAY, tick=False):
        html = re.sub(r"\s+", " ", client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="de").content.decode())
    assert "1</div>erreichte Person<" in html
    assert "1</div>durchgeführter Termin<" in html
    assert "1</div>Veranstaltung<" in html
