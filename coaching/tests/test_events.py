"""Events: closed once begun, registrations cancelled by the company, attendance yes/no/unknown, two lists (11.4)."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from coaching import permissions, services
from coaching.models import EventRegistration
from coaching.tests.factories import EventFactory, EventRegistrationFactory
from programme.tests.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db

FUTURE = lambda **kw: timezone.now() + datetime.timedelta(**kw)  # noqa: E731
PAST = lambda **kw: timezone.now() - datetime.timedelta(**kw)  # noqa: E731
# Pages answer in the portal's language (German) unless the browser asks for another.
CLOSED = "Die Anmeldung ist geschlossen: Die Veranstaltung hat bereits begonnen."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Closed for registration ------------------------------------------------------------------------


def test_service_refuses_registration_once_the_event_has_begun(world):
    event = EventFactory(starts_at=FUTURE(hours=2))
    with (
        time_machine.travel(event.starts_at + datetime.timedelta(minutes=1), tick=False),
        pytest.raises(ValidationError, match="Registration has closed") as error,
    ):
        services.event_register(event=event, by=None, name="Eva", email="eva@firma.example")
    assert error.value.code == "closed"
    assert not event.registrations.exists()


def test_past_event_shows_no_form_and_refuses_a_post_with_a_message(client, world):
    event = EventFactory(starts_at=PAST(days=1))
    client.force_login(world.users["member_a"])
    detail = client.get(reverse("coaching:event_detail", args=[event.pk])).content.decode()
    assert reverse("coaching:event_register", args=[event.pk]) not in detail
    assert 'data-testid="registration-closed"' in detail
    response = client.get(reverse("coaching:event_register", args=[event.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("coaching:event_detail", args=[event.pk])
    assert _messages(response) == [CLOSED]
    response = client.post(
        reverse("coaching:event_register", args=[event.pk]),
        {"name": "Eva", "email": "eva@firma.example", "company": world.company_a.pk},
    )
    assert response.status_code == 302
    assert CLOSED in _messages(response)
    assert not event.registrations.exists()


def test_upcoming_event_offers_the_form(client, world):
    event = EventFactory()
    client.force_login(world.users["member_a"])
    detail = client.get(reverse("coaching:event_detail", args=[event.pk])).content.decode()
    assert reverse("coaching:event_register", args=[event.pk]) in detail
    assert client.get(reverse("coaching:event_register", args=[event.pk])).status_code == 200


# Cancelling a registration ----------------------------------------------------------------------


def test_company_cancels_its_registration_until_the_event_begins(client, world):
    event = EventFactory(starts_at=FUTURE(days=2))
    first = EventRegistrationFactory(event=event, company=world.company_a, name="Eva Eins")
    second = EventRegistrationFactory(event=event, company=world.company_a, name="Jan Zwei")
    member = world.users["member_a"]
    client.force_login(member)
    detail = client.get(reverse("coaching:event_detail", args=[event.pk])).content.decode()
    assert reverse("coaching:event_registration_cancel", args=[first.pk]) in detail
    response = client.post(reverse("coaching:event_registration_cancel", args=[first.pk]))
    assert response.status_code == 302
    assert _messages(response) == ["Die Anmeldung von Eva Eins wurde storniert."]
    assert list(event.registrations.all()) == [second]
    with time_machine.travel(event.starts_at + datetime.timedelta(minutes=1), tick=False):
        assert not permissions.can_cancel_registration(member, second)
        assert client.post(reverse("coaching:event_registration_cancel", args=[second.pk])).status_code == 403
        with translation.override("en"), pytest.raises(ValidationError, match="already begun"):
            services.event_registration_cancel(registration=second, by=member)
    assert event.registrations.count() == 1


def test_a_cancelled_place_can_be_taken_again(world):
    event = EventFactory(capacity=1)
    registration = services.event_register(
        event=event, by=None, name="Eva", email="eva@firma.example", company=world.company_a
    )
    services.event_registration_cancel(registration=registration, by=world.users["member_a"])
    services.event_register(event=event, by=None, name="Eva", email="eva@firma.example", company=world.company_a)
    assert event.registrations.count() == 1


def test_other_companies_and_the_team_cannot_cancel_a_registration(client, world):
    registration = EventRegistrationFactory(company=world.company_a)
    for role in ("member_b", "coach", "staff", "staff_lead", "admin"):
        assert not permissions.can_cancel_registration(world.users[role], registration), role
    client.force_login(world.users["member_b"])
    assert client.post(reverse("coaching:event_registration_cancel", args=[registration.pk])).status_code == 403
    assert EventRegistration.objects.filter(pk=registration.pk).exists()


# Attendance -------------------------------------------------------------------------------------


def test_attendance_is_unknown_until_recorded_and_the_page_records_all_three(client, world):
    event = EventFactory(starts_at=PAST(hours=2))
    came, stayed_away, unsure = (EventRegistrationFactory(event=event) for _ in range(3))
    assert {registration.attended for registration in event.registrations.all()} == {None}
    client.force_login(world.users["staff"])
    page = client.get(reverse("coaching:event_detail", args=[event.pk])).content.decode()
    assert page.count('type="radio"') == 9 and page.count('value="unknown" id') == 3
    client.post(
        reverse("coaching:event_attendance", args=[event.pk]),
        {
            f"attendance-{came.pk}": "yes",
            f"attendance-{stayed_away.pk}": "no",
            f"attendance-{unsure.pk}": "unknown",
            "attendance-abc": "yes",
        },
    )
    values = dict(event.registrations.values_list("pk", "attended"))
    assert values == {came.pk: True, stayed_away.pk: False, unsure.pk: None}


def test_company_sees_yes_no_unknown(client, world):
    event = EventFactory(starts_at=PAST(hours=2))
    EventRegistrationFactory(event=event, company=world.company_a, attended=None)
    client.force_login(world.users["member_a"])
    cell = client.get(reverse("coaching:event_detail", args=[event.pk])).content.decode()
    assert '<td data-testid="attendance">unbekannt</td>' in cell


@pytest.mark.django_db(transaction=True)
def test_migration_turns_unrecorded_false_into_unknown():
    executor = MigrationExecutor(connection)
    before = [("coaching", "0007_event_actions")]
    after = [("coaching", "0008_session_reschedule_cancel_correct_attendance")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Event = old.get_model("coaching", "Event")
    Registration = old.get_model("coaching", "EventRegistration")
    organiser = PartnerOrganisationFactory()  # programme's tables are untouched: today's model
    common = {"kind": "workshop", "place": "Dortmund", "organiser_id": organiser.pk, "topic": "ai_data", "capacity": 9}
    recorded = Event.objects.create(title="Recorded", starts_at=PAST(days=9), **common)
    unrecorded = Event.objects.create(title="Unrecorded", starts_at=PAST(days=8), **common)
    came = Registration.objects.create(event=recorded, name="A", email="a@x.example", attended=True)
    absent = Registration.objects.create(event=recorded, name="B", email="b@x.example", attended=False)
    never = Registration.objects.create(event=unrecorded, name="C", email="c@x.example", attended=False)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("coaching", "EventRegistration")
    attended = dict(new.objects.values_list("pk", "attended"))
    assert attended == {came.pk: True, absent.pk: False, never.pk: None}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Lists ------------------------------------------------------------------------------------------


def test_upcoming_and_past_events_are_separate_lists(client, world):
    past = EventFactory(title="Vorbei", starts_at=PAST(days=3))
    older = EventFactory(title="Lange vorbei", starts_at=PAST(days=30))
    later = EventFactory(title="Später", starts_at=FUTURE(days=30))
    soon = EventFactory(title="Bald", starts_at=FUTURE(days=3))
    client.force_login(world.users["member_a"])
    url = reverse("coaching:event_list")
    upcoming = client.get(url)
    assert upcoming.context["when"] == "upcoming" and list(upcoming.context["page"]) == [soon, later]
    assert list(client.get(url, {"when": "past"}).context["page"]) == [past, older]
    assert list(client.get(url, {"when": "nonsense"}).context["page"]) == [soon, later]


def test_events_filter_by_title_or_place_kind_and_topic_within_their_tab(client, world):
    from coaching.choices import EventKind
    from programme.choices import Topic

    workshop = EventFactory(title="KI in der Fertigung", kind=EventKind.WORKSHOP, starts_at=FUTURE(days=5))
    visit = EventFactory(
        title="Betriebsbesuch", kind=EventKind.SITE_VISIT, place="Hagen, Werk 3", starts_at=FUTURE(days=6)
    )
    EventFactory(title="KI-Stammtisch", kind=EventKind.WORKSHOP, topic=Topic.ENERGY_MANAGEMENT, starts_at=PAST(days=2))
    client.force_login(world.users["member_a"])
    url = reverse("coaching:event_list")
    assert list(client.get(url, {"q": "KI"}).context["page"]) == [workshop]
    assert list(client.get(url, {"q": "hagen"}).context["page"]) == [visit]
    assert list(client.get(url, {"kind": EventKind.SITE_VISIT}).context["page"]) == [visit]
    past = client.get(url, {"when": "past", "q": "KI", "topic": Topic.ENERGY_MANAGEMENT})
    assert [event.title for event in past.context["page"]] == ["KI-Stammtisch"]
    # The page links keep the tab and the filter.
    assert "when=past" in past.context["query"] and "q=KI" in past.context["query"]
