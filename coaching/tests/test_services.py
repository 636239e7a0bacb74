import datetime
from decimal import Decimal

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.tests.factories import CoachFactory, StaffFactory, UserFactory
from coaching import selectors, services
from coaching.choices import CaseOutcome, CaseStatus, ContactForm, SessionStatus
from coaching.models import (
    Case,
    CaseAssignment,
    CaseStatusChange,
    EventRegistration,
    NextStep,
    Session,
    SessionParticipant,
)
from coaching.tests.factories import (
    CaseFactory,
    EventFactory,
    EventRegistrationFactory,
    SessionFactory,
    SessionParticipantFactory,
)
from coaching.workflow import CASE
from companies.tests.factories import CompanyFactory, MembershipFactory
from programme.choices import Region, Topic

pytestmark = pytest.mark.django_db

PAST = lambda **kw: timezone.now() - datetime.timedelta(**kw)  # noqa: E731
FUTURE = lambda **kw: timezone.now() + datetime.timedelta(**kw)  # noqa: E731


@pytest.fixture
def member():
    return MembershipFactory(company=CompanyFactory(region=Region.HAGEN)).user


@pytest.fixture
def case(member):
    return services.case_request(
        company=member.memberships.get().company,
        by=member,
        topic=Topic.AI_DATA,
        description="Qualitätsdaten auswerten",
        preferred_form=ContactForm.ONLINE,
        preferred_dates="dienstags",
    )


@pytest.fixture
def coach():
    return CoachFactory(responsible_for=Region.HAGEN)


def test_request_creates_a_new_case_with_history(case, member):
    assert case.status == CaseStatus.NEW and case.coach is None
    change = case.status_changes.get()
    assert (change.from_state, change.to_state, change.by) == ("", CaseStatus.NEW, member)


def test_default_coach_is_responsible_for_the_company_city_with_fewest_open_cases(case):
    busy = CoachFactory(responsible_for=Region.HAGEN)
    free = CoachFactory(responsible_for=Region.HAGEN)
    CoachFactory(responsible_for=Region.DORTMUND)
    CaseFactory(coach=busy)
    assert services.default_coach(company=case.company) == free


def test_default_coach_is_none_without_a_coach_for_the_city(case):
    CoachFactory(responsible_for=Region.DORTMUND)
    assert services.default_coach(company=case.company) is None


def test_a_place_no_coach_covers_gets_the_coach_of_its_responsible_partners_city():
    """Schwerte is in no coach's city and no row of the table: the lead partner (Dortmund) looks after
    it, so Dortmund's coach is suggested instead of nobody."""
    from companies.tests.factories import CompanyFactory
    from programme.tests.factories import PartnerOrganisationFactory

    PartnerOrganisationFactory(short_name="WF DO", city=Region.DORTMUND, is_lead=True)
    schwerte = CompanyFactory(region=Region.OTHER, city="Schwerte", postcode="58239")
    dortmund_coach = CoachFactory(responsible_for=Region.DORTMUND)
    CoachFactory(responsible_for=Region.HAGEN)
    assert services.default_coach(company=schwerte) == dortmund_coach
    own = CoachFactory(responsible_for=Region.OTHER)
    assert services.default_coach(company=schwerte) == own


def test_assign_and_reassign_keep_history_and_mail_the_company(case, coach, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    other = CoachFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(case=case, coach=coach, by=staff)
        services.case_assign(case=case, coach=other, by=staff, note="Urlaub")
    case.refresh_from_db()
    assert case.coach == other
    assignments = list(case.assignments.values_list("coach", "previous_coach", "note"))
    assert assignments == [(coach.pk, None, ""), (other.pk, coach.pk, "Urlaub")]
    # Two assignments, each mailed to the requester and the company's address (one mail per recipient);
    # each newly assigned coach is told too (notifications.table, "case.assign").
    coaches = {coach.email, other.email}
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(to for to in recipients if to not in coaches) == sorted(
        [case.requested_by.email, case.company.contact_email] * 2
    )
    assert sorted(to for to in recipients if to in coaches) == sorted(coaches)


def test_only_coaches_can_be_assigned(case):
    with pytest.raises(ValidationError):
        services.case_assign(case=case, coach=UserFactory(), by=StaffFactory())


def test_adding_a_further_coach_is_recorded_in_the_coach_history(case, coach):
    staff = StaffFactory()
    services.case_assign(case=case, coach=coach, by=staff)
    further = CoachFactory()
    services.case_add_coach(case=case, coach=further, by=staff, note="Fachgebiet Robotik")
    assert list(case.added_coaches.all()) == [further]
    history = list(case.assignments.values_list("kind", "coach", "previous_coach", "note"))
    assert history[-1] == (CaseAssignment.Kind.ADDED, further.pk, None, "Fachgebiet Robotik")


@pytest.mark.parametrize("who", ["lead", "added", "company member", "inactive coach"])
def test_a_coach_is_added_only_once_and_only_an_active_coach(case, coach, who):
    staff = StaffFactory()
    services.case_assign(case=case, coach=coach, by=staff)
    further = CoachFactory()
    services.case_add_coach(case=case, coach=further, by=staff)
    candidate = {
        "lead": coach,
        "added": further,
        "company member": UserFactory(),
        "inactive coach": CoachFactory(is_active=False),
    }[who]
    with pytest.raises(ValidationError):
        services.case_add_coach(case=case, coach=candidate, by=staff)
    assert case.assignments.count() == 2


def test_no_coach_is_added_to_a_closed_case(case, coach):
    services.case_close(case=case, outcome=CaseOutcome.choices[0][0], by=coach)
    with pytest.raises(ValidationError):
        services.case_add_coach(case=case, coach=CoachFactory(), by=StaffFactory())
    assert not case.added_coaches.exists()


def test_transitions_follow_the_table_and_are_recorded(case, coach):
    services.case_work(case=case, by=coach, note="los")
    case = services.case_concept_ready(case=case, by=coach)
    assert case.status == CaseStatus.CONCEPT_READY
    history = list(case.status_changes.values_list("from_state", "to_state"))
    assert history[-2:] == [
        (CaseStatus.NEW, CaseStatus.IN_PROGRESS),
        (CaseStatus.IN_PROGRESS, CaseStatus.CONCEPT_READY),
    ]


def test_disallowed_transition_is_refused_and_nothing_recorded(case, coach):
    with pytest.raises(ValidationError):
        services.case_implement(case=case, by=coach)
    assert CaseStatusChange.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_closing_needs_the_close_service_and_an_outcome(case, coach):
    case = services.case_close(case=case, outcome=CaseOutcome.REFERRED_TO_VOUCHER, by=coach, note="InnoScheck")
    assert (case.status, case.outcome, case.outcome_note) == (CaseStatus.CLOSED, "referred_to_voucher", "InnoScheck")
    assert case.closed_at is not None
    assert CASE.available(coach, case) == []
    with pytest.raises(ValidationError):
        services.case_close(case=case, outcome=CaseOutcome.IMPLEMENTED, by=coach)


def test_company_cancels_its_request(case, member):
    case = services.case_cancel(case=case, by=member)
    assert case.status == CaseStatus.CLOSED and case.outcome == CaseOutcome.CANCELLED


def test_every_status_has_a_way_to_close_except_closed():
    for status in CaseStatus.values:
        assert (status in CASE["close"].sources) == (status != CaseStatus.CLOSED)


def test_plan_session_mails_an_ics_and_starts_the_case(case, coach, django_capture_on_commit_callbacks):
    services.case_assign(case=case, coach=coach, by=coach)
    mail.outbox.clear()
    starts_at = FUTURE(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_plan(
            case=case, by=coach, starts_at=starts_at, duration_hours=Decimal("1.5"), form=ContactForm.ONLINE
        )
    assert session.status == SessionStatus.PLANNED
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    # The invitation with its calendar entry (the case's move to "in progress" is told too).
    invitations = [message for message in mail.outbox if message.attachments]
    assert {message.to[0] for message in invitations} == {case.requested_by.email, case.company.contact_email}
    (filename, content, mimetype) = invitations[0].attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts_at.replace(microsecond=0) or event.decoded("dtstart") == starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=90)


def test_plan_session_in_the_past_is_refused(case, coach):
    with pytest.raises(ValidationError):
        services.session_plan(case=case, by=coach, starts_at=PAST(hours=1), duration_hours=Decimal(1), form="online")


@pytest.mark.parametrize("hours", ["0", "-1", "12.01", "24"])
def test_session_duration_must_be_above_zero_and_at_most_twelve_hours(case, coach, hours):
    with pytest.raises(ValidationError) as error:
        services.session_record_held(
            case=case, by=coach, starts_at=PAST(days=1), duration_hours=Decimal(hours), form="online"
        )
    assert "duration_hours" in error.value.message_dict
    assert not Session.objects.exists()


def test_twelve_hours_is_allowed(case, coach):
    session = services.session_record_held(
        case=case, by=coach, starts_at=PAST(days=1), duration_hours=Decimal("12"), form="on_site"
    )
    assert session.status == SessionStatus.HELD


def test_record_held_saves_participants_notes_and_next_steps(case, coach):
    planned = SessionFactory(case=case, starts_at=FUTURE(days=1))
    due = timezone.localdate() + datetime.timedelta(days=7)
    session = services.session_record_held(
        case=case,
        by=coach,
        session=planned,
        starts_at=PAST(hours=2),
        duration_hours=Decimal("2"),
        form="on_site",
        shared_notes="Ergebnis",
        internal_notes="vertraulich",
        participants=[{"name": "Eva", "email": "eva@firma.example"}, {"name": "Jan", "email": "jan@firma.example"}],
        next_steps=[{"description": "Angebot einholen", "due_date": due}],
    )
    assert session.pk == planned.pk and session.status == SessionStatus.HELD
    assert session.participants.count() == 2
    assert NextStep.objects.get(case=case).due_date == due


def test_record_held_in_the_future_is_refused(case, coach):
    with pytest.raises(ValidationError) as error:
        services.session_record_held(case=case, by=coach, starts_at=FUTURE(hours=1), duration_hours=1, form="online")
    assert "starts_at" in error.value.message_dict


@pytest.mark.parametrize(
    "participants",
    [
        [{"name": "Eva", "email": "eva@firma.example"}, {"name": "Jan", "email": "kein-mail"}],
        [{"name": "Eva", "email": "eva@firma.example"}, {"name": "Eva B.", "email": "EVA@firma.example"}],
        [{"name": "", "email": "eva@firma.example"}],
    ],
)
def test_bad_participants_save_nothing(case, coach, participants):
    with pytest.raises(ValidationError):
        services.session_record_held(
            case=case,
            by=coach,
            starts_at=PAST(hours=1),
            duration_hours=Decimal(1),
            form="online",
            participants=participants,
            next_steps=[{"description": "x", "due_date": timezone.localdate()}],
        )
    assert not Session.objects.exists()
    assert not SessionParticipant.objects.exists()
    assert not NextStep.objects.exists()


def test_next_step_done_and_reopened():
    step = services.next_step_set_done(
        step=NextStep.objects.create(case=CaseFactory(), description="x", due_date=timezone.localdate()), done=True
    )
    assert step.done and step.done_at
    step = services.next_step_set_done(step=step, done=False)
    assert not step.done and step.done_at is None


@translation.override("en")
def test_event_registration_refuses_full_events_and_doubles():
    event = EventFactory(capacity=2)
    company = CompanyFactory()
    services.event_register(event=event, by=None, name="Eva", email="eva@firma.example", company=company)
    with pytest.raises(ValidationError, match="already registered"):
        services.event_register(event=event, by=None, name="Eva", email="EVA@firma.example ", company=company)
    services.event_register(event=event, by=None, name="Jan", email="jan@firma.example", company=company)
    with pytest.raises(ValidationError, match="fully booked"):
        services.event_register(event=event, by=None, name="Ute", email="ute@firma.example", company=company)
    assert event.registrations.count() == 2


def test_event_registration_after_the_event_is_refused():
    event = EventFactory(starts_at=PAST(days=1))
    with pytest.raises(ValidationError):
        services.event_register(event=event, by=None, name="Eva", email="eva@firma.example")


@translation.override("en")
def test_attendance_records_yes_no_and_unknown_for_the_given_registrations():
    event = EventFactory(starts_at=PAST(hours=3))
    first, second = EventRegistrationFactory(event=event), EventRegistrationFactory(event=event)
    assert first.attended is None
    assert services.event_record_attendance(event=event, attendance={first.pk: True}) == 1
    assert services.event_record_attendance(event=event, attendance={first.pk: None, second.pk: True}) == 1
    first.refresh_from_db()
    assert first.attended is None and list(EventRegistration.objects.filter(attended=True)) == [second]
    assert services.event_record_attendance(event=event, attendance={second.pk: False}) == 0
    second.refresh_from_db()
    assert second.attended is False and second.get_attended_display() == "no"


def test_attendance_before_the_event_is_refused():
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.event_record_attendance(event=event, attendance={})


def test_attendance_of_another_events_registration_is_refused():
    event = EventFactory(starts_at=PAST(hours=3))
    other = EventRegistrationFactory()
    with pytest.raises(ValidationError):
        services.event_record_attendance(event=event, attendance={other.pk: True})
    other.refresh_from_db()
    assert other.attended is None


def test_people_reached_counts_each_person_once_per_period():
    day = timezone.make_aware(datetime.datetime(2026, 3, 10, 10))
    held = SessionFactory(status=SessionStatus.HELD, starts_at=day)
    SessionParticipantFactory(session=held, email="eva@firma.example")
    SessionParticipantFactory(session=held, email="jan@firma.example")
    SessionParticipantFactory(
        session=SessionFactory(status=SessionStatus.HELD, starts_at=day), email="EVA@Firma.example"
    )
    SessionParticipantFactory(
        session=SessionFactory(status=SessionStatus.PLANNED, starts_at=day), email="plan@x.example"
    )
    event = EventFactory(starts_at=day + datetime.timedelta(days=30))
    EventRegistrationFactory(event=event, email="Jan@firma.example", attended=True)
    EventRegistrationFactory(event=event, email="ute@firma.example", attended=True)
    EventRegistrationFactory(event=event, email="absent@firma.example", attended=False)
    EventRegistrationFactory(event=EventFactory(starts_at=day.replace(year=2025)), email="old@x.example", attended=True)

    assert selectors.people_reached(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)) == 3
    assert selectors.people_reached(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31)) == 2
    assert selectors.people_reached() == 4


def test_cases_visible_to_each_role(world):
    dortmund = CaseFactory(company=world.company_a)
    hagen = CaseFactory(company=world.company_b)
    coach = world.users["coach"]
    Case.objects.filter(pk=dortmund.pk).update(coach=coach)
    added = CaseFactory(company=world.company_b, coach=CoachFactory())
    added.added_coaches.add(coach)
    other = CaseFactory(company=world.company_b, coach=CoachFactory())
    assert set(selectors.cases_visible_to(world.users["member_a"])) == {dortmund}
    assert set(selectors.cases_visible_to(coach)) == {dortmund, hagen, added}
    assert set(selectors.caseload(user=coach)) == {dortmund, added}
    assert set(selectors.cases_visible_to(world.users["staff"])) == {dortmund}
    assert set(selectors.cases_visible_to(world.users["admin"])) == {dortmund, hagen, added, other}
    assert not selectors.cases_visible_to(world.users["funder"]).exists()
