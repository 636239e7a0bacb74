"""Coaching sessions after planning: reschedule, cancel, invitations, corrections, upcoming list (issue 11.3)."""

import datetime
from decimal import Decimal

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import AdminFactory, CoachFactory
from coaching import permissions, services
from coaching.choices import ContactForm, SessionStatus
from coaching.models import NextStep, Session, SessionCorrection
from coaching.tests.calendar_mails import calendar_of, invitations_to
from coaching.tests.factories import CaseFactory, SessionFactory
from programme import events

pytestmark = pytest.mark.django_db

FUTURE = lambda **kw: timezone.now() + datetime.timedelta(**kw)  # noqa: E731
PAST = lambda **kw: timezone.now() - datetime.timedelta(**kw)  # noqa: E731


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(world):
    case = CaseFactory(company=world.company_a, requested_by=world.users["member_a"])
    services.case_assign(case=case, coach=world.users["coach"], by=world.users["staff"])
    mail.outbox.clear()
    case.refresh_from_db()
    return case


@pytest.fixture
def published():
    names = []

    def handler(name, **payload):
        names.append((name, payload))

    events.subscribe(handler)
    yield names
    events.unsubscribe(handler)


def plan(case, *, starts_at=None, **kwargs):
    return services.session_plan(
        case=case,
        by=case.coach,
        starts_at=starts_at or FUTURE(days=3),
        duration_hours=kwargs.pop("duration_hours", Decimal("1.5")),
        form=kwargs.pop("form", ContactForm.ON_SITE),
        location=kwargs.pop("location", "Werkhalle 2"),
    )


def vevent(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


# Invitations ------------------------------------------------------------------------------------


def test_invitation_has_organizer_attendees_and_a_berlin_vtimezone(case, world, django_capture_on_commit_callbacks):
    starts_at = timezone.make_aware(datetime.datetime(2027, 7, 14, 9, 30), datetime.UTC)
    with (
        time_machine.travel(datetime.datetime(2027, 7, 1, 8, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        session = plan(case, starts_at=starts_at)
    member, contact = world.users["member_a"].email, world.company_a.contact_email
    assert len(invitations_to(member)) == len(invitations_to(contact)) == 1
    (message,) = invitations_to(member)
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    ((summer,), (winter,)) = zone.walk("DAYLIGHT"), zone.walk("STANDARD")
    assert summer["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert winter["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert summer["TZOFFSETTO"].td == datetime.timedelta(hours=2)
    event = vevent(calendar)
    assert str(event["UID"]) == session.uid
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == starts_at  # 09:30 UTC is 11:30 in Berlin in summer
    assert event.decoded("DTSTART").hour == 11
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=90)
    assert str(event["ORGANIZER"]) == f"mailto:{world.users['coach'].email}"
    assert event["ORGANIZER"].params["CN"] == str(world.users["coach"])
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    assert {str(attendee) for attendee in attendees} == {f"mailto:{member}", f"mailto:{contact}"}
    assert all(attendee.params["RSVP"] == "TRUE" for attendee in attendees)
    assert str(event["STATUS"]) == "CONFIRMED" and str(event["LOCATION"]) == "Werkhalle 2"
    raw = message.attachments[0][1]
    assert "DTSTART;TZID=Europe/Berlin:20270714T113000" in raw
    # The zone comes before the event that refers to it (Outlook reads in order).
    assert raw.index("BEGIN:VTIMEZONE") < raw.index("BEGIN:VEVENT")


def test_plan_reschedule_cancel_send_three_invitations_with_one_uid(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = plan(case)
    new_start = FUTURE(days=5).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reschedule(
            session=session, by=case.coach, starts_at=new_start, duration_hours=Decimal(2), form="online"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=case.coach, note="Maschine defekt")
    mails = invitations_to(case.requested_by.email)
    assert len(mails) == 3
    calendars = [calendar_of(message) for message in mails]
    assert [str(calendar["METHOD"]) for calendar in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    uids = {str(vevent(calendar)["UID"]) for calendar in calendars}
    assert uids == {session.uid}
    assert [int(vevent(calendar)["SEQUENCE"]) for calendar in calendars] == [0, 1, 2]
    assert vevent(calendars[1]).decoded("DTSTART") == new_start
    assert str(vevent(calendars[2])["STATUS"]) == "CANCELLED"
    assert "Maschine defekt" in mails[2].body
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 2 and session.cancelled_at


def test_session_changes_publish_their_events(case, published):
    session = plan(case)
    services.session_reschedule(
        session=session, by=case.coach, starts_at=FUTURE(days=6), duration_hours=Decimal(1), form="online"
    )
    services.session_cancel(session=session, by=case.coach)
    held = services.session_record_held(
        case=case, by=case.coach, starts_at=PAST(hours=2), duration_hours=1, form="online"
    )
    services.session_correct(session=held, by=case.coach, starts_at=PAST(hours=3), duration_hours=1, form="online")
    session_events = [(name, payload["session"].pk) for name, payload in published if name.startswith("session.")]
    assert session_events == [
        ("session.plan", session.pk),
        ("session.reschedule", session.pk),
        ("session.cancel", session.pk),
        ("session.hold", held.pk),
        ("session.correct", held.pk),
    ]
    assert set(services.SESSION_EVENTS) <= events.NAMES


def test_reschedule_refuses_the_past_no_change_and_sessions_no_longer_planned(case):
    session = plan(case, location="Halle")
    same = {"starts_at": session.starts_at, "duration_hours": session.duration_hours, "form": session.form}
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.session_reschedule(session=session, by=case.coach, location="Halle", **same)
    with pytest.raises(ValidationError) as error:
        services.session_reschedule(
            session=session, by=case.coach, starts_at=PAST(hours=1), duration_hours=Decimal(1), form="online"
        )
    assert "starts_at" in error.value.message_dict
    services.session_cancel(session=session, by=case.coach)
    with pytest.raises(ValidationError):
        services.session_reschedule(
            session=session, by=case.coach, starts_at=FUTURE(days=9), duration_hours=Decimal(1), form="online"
        )
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, by=case.coach)
    session.refresh_from_db()
    assert session.sequence == 1


def test_a_cancelled_session_cannot_be_recorded_as_held(case):
    session = plan(case)
    services.session_cancel(session=session, by=case.coach)
    with pytest.raises(ValidationError):
        services.session_record_held(
            case=case, by=case.coach, session=session, starts_at=PAST(hours=1), duration_hours=1, form="online"
        )


# Corrections -------------------------------------------------------------------------------------


def record(case, **kwargs):
    return services.session_record_held(
        case=case,
        by=case.coach,
        starts_at=kwargs.pop("starts_at", PAST(hours=2)),
        duration_hours=kwargs.pop("duration_hours", Decimal(2)),
        form="on_site",
        shared_notes="Messkonzept",
        internal_notes="intern",
        participants=[{"name": "Eva", "email": "eva@firma.example"}],
        next_steps=[{"description": "Angebote einholen", "due_date": timezone.localdate()}],
        **kwargs,
    )


def test_correction_keeps_before_and_after_and_the_done_marks(case):
    session = record(case)
    step = session.next_steps.get()
    services.next_step_set_done(step=step, done=True)
    correction = services.session_correct(
        session=session,
        by=case.coach,
        starts_at=session.starts_at,
        duration_hours=Decimal("1.5"),
        form="on_site",
        shared_notes="Messkonzept für die Fräsen",
        internal_notes="intern",
        participants=[{"name": "Eva", "email": "eva@firma.example"}, {"name": "Jan", "email": "jan@firma.example"}],
        next_steps=[
            {"description": "Angebote einholen", "due_date": timezone.localdate()},
            {"description": "Budget klären", "due_date": timezone.localdate()},
        ],
        note="Jan vergessen",
    )
    assert correction.by == case.coach and correction.note == "Jan vergessen"
    assert correction.before["duration_hours"] == "2" and correction.after["duration_hours"] == "1.5"
    assert correction.before["participants"] == ["Eva <eva@firma.example>"]
    assert correction.after["participants"] == ["Eva <eva@firma.example>", "Jan <jan@firma.example>"]
    assert {label for label, _before, _after in correction.changes()} == {
        "duration (hours)",
        "notes shared with the company",
        "participants",
        "next steps",
    }
    session.refresh_from_db()
    assert session.duration_hours == Decimal("1.5") and session.participants.count() == 2
    step.refresh_from_db()
    assert step.done, "the kept next step keeps its done mark"
    assert NextStep.objects.filter(session=session).count() == 2


def test_correction_without_a_change_is_refused(case):
    session = record(case)
    with pytest.raises(ValidationError):
        services.session_correct(
            session=session,
            by=case.coach,
            starts_at=session.starts_at,
            duration_hours=session.duration_hours,
            form="on_site",
            shared_notes="Messkonzept",
            internal_notes="intern",
            participants=[{"name": "Eva", "email": "eva@firma.example"}],
            next_steps=[{"description": "Angebote einholen", "due_date": timezone.localdate()}],
        )
    assert not SessionCorrection.objects.exists()


def test_correction_is_possible_for_fourteen_days_only(case):
    recorded = timezone.make_aware(datetime.datetime(2027, 3, 1, 12))
    with time_machine.travel(recorded, tick=False):
        session = record(case, starts_at=recorded - datetime.timedelta(hours=3))
    coach = case.coach
    arguments = {"starts_at": session.starts_at, "duration_hours": Decimal(1), "form": "online"}
    with time_machine.travel(recorded + datetime.timedelta(days=13, hours=23), tick=False):
        assert permissions.can_correct_session(coach, session)
        services.session_correct(session=session, by=coach, **arguments)
    session.refresh_from_db()
    with time_machine.travel(recorded + datetime.timedelta(days=14, minutes=1), tick=False):
        assert not permissions.can_correct_session(coach, session)
        with pytest.raises(ValidationError, match="14"):
            services.session_correct(session=session, by=coach, **{**arguments, "duration_hours": Decimal(3)})
    assert session.corrections.count() == 1


def test_only_the_cases_coach_corrects_and_only_held_sessions(case):
    session = record(case)
    assert permissions.can_correct_session(case.coach, session)
    assert not permissions.can_correct_session(CoachFactory(), session)
    assert not permissions.can_correct_session(AdminFactory(), session)
    planned = plan(case)
    assert not permissions.can_correct_session(case.coach, planned)
    with pytest.raises(ValidationError):
        services.session_correct(
            session=planned, by=case.coach, starts_at=PAST(hours=1), duration_hours=Decimal(1), form="online"
        )


def test_existing_held_sessions_without_a_recording_time_cannot_be_corrected(case):
    session = SessionFactory(case=case, status=SessionStatus.HELD, starts_at=PAST(days=1))
    assert session.held_recorded_at is None
    assert not permissions.can_correct_session(case.coach, session)


# Pages -------------------------------------------------------------------------------------------


def test_coach_reschedules_and_cancels_from_the_case_page(client, case, django_capture_on_commit_callbacks):
    session = plan(case)
    client.force_login(case.coach)
    page = client.get(reverse("coaching:case_detail", args=[case.pk])).content.decode()
    assert reverse("coaching:session_reschedule", args=[case.pk, session.pk]) in page
    assert reverse("coaching:session_cancel", args=[case.pk, session.pk]) in page
    new_start = FUTURE(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coaching:session_reschedule", args=[case.pk, session.pk]),
            {"starts_at": local_input(new_start), "duration_hours": "2", "form": "online", "location": "Teams"},
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.location == "Teams" and session.sequence == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coaching:session_cancel", args=[case.pk, session.pk]), {"note": ""})
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    mails = invitations_to(case.requested_by.email)
    assert [str(calendar_of(message)["METHOD"]) for message in mails] == ["REQUEST", "CANCEL"]
    # A cancelled session is neither rescheduled nor cancelled again.
    assert client.get(reverse("coaching:session_reschedule", args=[case.pk, session.pk])).status_code == 403
    assert client.get(reverse("coaching:session_cancel", args=[case.pk, session.pk])).status_code == 403


def test_reschedule_into_the_past_shows_the_error_at_the_field(client, case):
    session = plan(case)
    client.force_login(case.coach)
    response = client.post(
        reverse("coaching:session_reschedule", args=[case.pk, session.pk]),
        {"starts_at": local_input(PAST(hours=1)), "duration_hours": "2", "form": "online"},
    )
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors


def test_invitation_download_is_the_current_invitation(client, case, world):
    session = plan(case)
    services.session_cancel(session=session, by=case.coach)
    client.force_login(world.users["member_a"])
    response = client.get(reverse("coaching:session_invitation", args=[case.pk, session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "CANCEL" and int(vevent(calendar)["SEQUENCE"]) == 1


def test_invitation_of_another_cases_session_is_not_found(client, case, world):
    session = plan(case)
    other = CaseFactory(company=world.company_a, coach=case.coach)
    client.force_login(world.users["member_a"])
    assert client.get(reverse("coaching:session_invitation", args=[other.pk, session.pk])).status_code == 404


def test_record_takes_any_number_of_rows_and_skips_blank_ones(client, case):
    client.force_login(case.coach)
    data = {
        "starts_at": local_input(PAST(hours=2)),
        "duration_hours": "1",
        "form": "online",
        "participants-TOTAL_FORMS": "7",
        "participants-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "5",
        "steps-INITIAL_FORMS": "0",
    }
    for index in range(6):  # rows 0-5 filled (more than the page's blank rows), row 6 left blank
        data[f"participants-{index}-name"] = f"Person {index}"
        data[f"participants-{index}-email"] = f"person{index}@firma.example"
    for index in range(4):
        data[f"steps-{index}-description"] = f"Schritt {index}"
        data[f"steps-{index}-due_date"] = timezone.localdate().isoformat()
    response = client.post(reverse("coaching:session_record", args=[case.pk]), data)
    assert response.status_code == 302
    session = Session.objects.get(case=case)
    assert session.participants.count() == 6 and session.next_steps.count() == 4


def test_a_half_filled_row_is_an_error(client, case):
    client.force_login(case.coach)
    response = client.post(
        reverse("coaching:session_record", args=[case.pk]),
        {
            "starts_at": local_input(PAST(hours=2)),
            "duration_hours": "1",
            "form": "online",
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-0-name": "Eva",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and not Session.objects.exists()
    assert response.context["participants"].errors[0]["email"]


def test_record_page_offers_blank_rows_and_the_row_script_without_inline_code(client, case):
    client.force_login(case.coach)
    page = client.get(reverse("coaching:session_record", args=[case.pk])).content.decode()
    assert page.count('data-testid="participants-row"') == 3 + 1  # three blank rows and the template
    assert "<template data-formset-template>" in page and "__prefix__" in page
    assert 'src="/static/js/formset_rows.js"' in page


def test_coach_corrects_a_held_session_and_the_history_shows_it(client, case, world):
    session = record(case)
    client.force_login(case.coach)
    page = client.get(reverse("coaching:session_correct", args=[case.pk, session.pk]))
    assert page.context["participants"].forms[0]["email"].value() == "eva@firma.example"
    response = client.post(
        reverse("coaching:session_correct", args=[case.pk, session.pk]),
        {
            "starts_at": local_input(session.starts_at),
            "duration_hours": "2",
            "form": "on_site",
            "shared_notes": "Messkonzept",
            "internal_notes": "intern",
            "note": "Zweiter Teilnehmer",
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "1",
            "participants-0-name": "Eva",
            "participants-0-email": "eva@firma.example",
            "participants-1-name": "Jan",
            "participants-1-email": "jan@firma.example",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "1",
            "steps-0-description": "",
            "steps-0-due_date": "",
        },
    )
    assert response.status_code == 302
    assert session.participants.count() == 2 and not session.next_steps.exists()
    detail = client.get(reverse("coaching:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="session-corrections"' in detail and "Zweiter Teilnehmer" in detail
    client.force_login(world.users["member_a"])
    detail = client.get(reverse("coaching:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="session-corrections"' not in detail


def test_upcoming_sessions_lists_planned_sessions_of_own_cases_soonest_first(client, case, world):
    later = plan(case, starts_at=FUTURE(days=20))
    soon = plan(case, starts_at=FUTURE(days=2))
    cancelled = plan(case, starts_at=FUTURE(days=3))
    services.session_cancel(session=cancelled, by=case.coach)
    record(case)
    foreign = CaseFactory(company=world.company_b, coach=CoachFactory())
    SessionFactory(case=foreign, starts_at=FUTURE(days=1))
    client.force_login(case.coach)
    url = reverse("coaching:upcoming_sessions")
    assert list(client.get(url).context["page"]) == [soon, later]
    assert list(client.get(url, {"days": "7"}).context["page"]) == [soon]
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f"{url}?days=7" in dashboard


def test_upcoming_sessions_for_staff_follow_the_scope(client, case, world):
    session = plan(case)
    client.force_login(world.users["staff_other"])
    assert list(client.get(reverse("coaching:upcoming_sessions")).context["page"]) == []
    client.force_login(world.users["staff_lead"])
    assert list(client.get(reverse("coaching:upcoming_sessions")).context["page"]) == [session]


def test_upcoming_sessions_page_runs_a_fixed_number_of_queries(client, case, django_assert_max_num_queries):
    for days in range(1, 12):
        plan(case, starts_at=FUTURE(days=days))
    client.force_login(case.coach)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("coaching:upcoming_sessions")).status_code == 200


def test_admin_shows_a_sessions_corrections_read_only(client, case, world):
    session = record(case)
    services.session_correct(
        session=session, by=case.coach, starts_at=session.starts_at, duration_hours=Decimal(1), form="online"
    )
    client.force_login(world.users["admin"])
    page = client.get(reverse("admin:coaching_session_change", args=[session.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Korrekturen von Terminen" in content or "Session corrections" in content
    assert "corrections-0-note" not in content, "the history is shown, not edited"


@pytest.mark.parametrize("closing", ["close", "cancel"])
def test_closing_the_case_cancels_its_planned_sessions_in_the_companys_calendar(
    case, world, closing, django_capture_on_commit_callbacks
):
    first, second = plan(case), plan(case, starts_at=FUTURE(days=9))
    held = record(case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if closing == "close":
            services.case_close(case=case, outcome="implemented", by=case.coach)
        else:
            services.case_cancel(case=case, by=world.users["member_a"])
    for session in (first, second):
        session.refresh_from_db()
        assert session.status == SessionStatus.CANCELLED and session.sequence == 1 and session.cancellation_note
    held.refresh_from_db()
    assert held.status == SessionStatus.HELD
    calendars = [calendar_of(message) for message in invitations_to(case.requested_by.email)]
    assert sorted(str(vevent(calendar)["UID"]) for calendar in calendars) == sorted([first.uid, second.uid])
    assert {str(calendar["METHOD"]) for calendar in calendars} == {"CANCEL"}
