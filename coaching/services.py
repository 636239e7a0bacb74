"""Every write and business rule of the coaching side: requests, assignment, status, sessions, events."""

import datetime
import zoneinfo
from collections.abc import Iterable, Mapping
from decimal import Decimal
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from companies.models import Company
from digitalfabrik.mail import absolute_url, send_templated_mail
from programme import events

from .choices import CaseOutcome, CaseStatus, ContactForm, SessionStatus
from .models import (
    CORRECTION_PERIOD,
    MAX_SESSION_HOURS,
    Case,
    CaseAssignment,
    Event,
    EventRegistration,
    NextStep,
    Project,
    ProjectMeeting,
    Session,
    SessionCorrection,
    SessionParticipant,
)
from .workflow import CASE

# What the coaching services tell the apps above them (reporting keeps its support facts from these).
events.declare("coaching.event_attendance", "coaching.project_saved", "coaching.project_met")
events.declare("event.register")
# A coach assigned to a case (or added to it): the coaches and the company are told (notifications.table).
events.declare("case.assign", "case.add_coach")


def _company_recipients(case: Case) -> list[str]:
    recipients = [case.company.contact_email]
    if case.requested_by and case.requested_by.email.lower() != case.company.contact_email.lower():
        recipients.insert(0, case.requested_by.email)
    return recipients


def _company_language(case: Case) -> str | None:
    return case.requested_by.language if case.requested_by else None


def _locked(case: Case) -> Case:
    """The case's current row, locked for the rest of the transaction."""
    return (
        Case.objects.select_for_update(of=("self",)).select_related("company", "coach", "requested_by").get(pk=case.pk)
    )


# Requests and assignment ------------------------------------------------------------------------


@transaction.atomic
def case_request(
    *, company: Company, by, topic: str, description: str, preferred_form: str, preferred_dates: str = ""
) -> Case:
    """A company member asks for coaching; the request lands in the queue."""
    case = Case(
        company=company,
        topic=topic,
        description=description,
        preferred_form=preferred_form,
        preferred_dates=preferred_dates,
        requested_by=by,
    )
    case.full_clean()
    case.save()
    CASE.created(case, "request", by=by)
    return case


def coaches() -> QuerySet[User]:
    return User.objects.filter(role=Role.COACH, is_active=True)


def coaches_by_open_cases() -> QuerySet[User]:
    """Active coaches, fewest open cases first (then the oldest account): the order in which requests go
    to coaches (``default_coach``, the queue's suggestions). Counted per coach in a subquery: a join
    grouped by every column of the user sorts all cases (115 -> 50 ms at 50 k cases). COUNT(*), not of the
    ids: read from the index on (coach, status) alone, without visiting the cases (at 50 k cases 17 -> 5 ms
    for 13 coaches)."""
    open_cases = (
        Case.objects.filter(coach=OuterRef("pk"))
        .exclude(status=CaseStatus.CLOSED)
        .order_by()
        .values("coach")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        coaches()
        .annotate(open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), Value(0)))
        .order_by("open_cases", "pk")
    )


def _default_coach_cities(company: Company) -> list[str]:
    """Where a default coach comes from: the company's city, then its responsible partner's city (so a
    place no coach is responsible for, such as Schwerte with the lead partner, gets the lead's coach)."""
    cities = [company.region]
    partner = company.responsible_partner
    if partner is not None and partner.city not in cities:
        cities.append(partner.city)
    return cities


def default_coach(*, company: Company, by_city: Mapping[str, User] | None = None) -> User | None:
    """The coach responsible for the company's city, else for its responsible partner's city; among
    several, the one with the fewest open cases. ``by_city``: that first coach per city, already read
    (the queue reads it once for a whole page)."""
    for city in _default_coach_cities(company):
        coach = (
            by_city.get(city) if by_city is not None else coaches_by_open_cases().filter(responsible_for=city).first()
        )
        if coach is not None:
            return coach
    return None


@transaction.atomic
def case_assign(*, case: Case, coach: User, by, note: str = "") -> CaseAssignment:
    """Assign (or reassign) the case's coach, keep the history and tell the company by e-mail."""
    case = _locked(case)
    if coach.role != Role.COACH or not coach.is_active:
        raise ValidationError(_("Only an active InnovationCoach can be assigned."))
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be reassigned."))
    if case.coach_id == coach.pk:
        raise ValidationError(_("This coach is already assigned to the case."))
    assignment = CaseAssignment.objects.create(case=case, coach=coach, previous_coach=case.coach, by=by, note=note)
    case.coach = coach
    case.full_clean()
    case.save(update_fields=["coach"])
    case.added_coaches.remove(coach)
    events.publish("case.assign", case=case, coach=coach, by=by)
    context = {"case": case, "coach": coach, "url": absolute_url(reverse("coaching:case_detail", args=[case.pk]))}
    recipients, language = _company_recipients(case), _company_language(case)
    transaction.on_commit(
        lambda: send_templated_mail(
            to=recipients, template="coaching/email/case_assigned", context=context, language=language, kind="case"
        )
    )
    return assignment


@transaction.atomic
def case_add_coach(*, case: Case, coach: User, by, note: str = "") -> CaseAssignment:
    """Add a further coach to an open case, recorded in the case's coach history."""
    case = _locked(case)
    if coach.role != Role.COACH or not coach.is_active:
        raise ValidationError(_("Only an active InnovationCoach can be added to a case."))
    if not case.is_open:
        raise ValidationError(_("No coach can be added to a closed case."))
    if coach.pk == case.coach_id or case.added_coaches.filter(pk=coach.pk).exists():
        raise ValidationError(_("This coach is already assigned to the case."))
    case.added_coaches.add(coach)
    assignment = CaseAssignment.objects.create(case=case, kind=CaseAssignment.Kind.ADDED, coach=coach, by=by, note=note)
    events.publish("case.add_coach", case=case, coach=coach, by=by)
    return assignment


# Status ------------------------------------------------------------------------------------------


def _move(case: Case, action: str, *, by, note: str = "") -> Case:
    case = _locked(case)
    CASE.apply(case, action, by=by, note=note)
    return case


@transaction.atomic
def case_work(*, case: Case, by, note: str = "") -> Case:
    return _move(case, "work", by=by, note=note)


@transaction.atomic
def case_wait_for_company(*, case: Case, by, note: str = "") -> Case:
    return _move(case, "wait_for_company", by=by, note=note)


@transaction.atomic
def case_concept_ready(*, case: Case, by, note: str = "") -> Case:
    return _move(case, "concept_ready", by=by, note=note)


@transaction.atomic
def case_implement(*, case: Case, by, note: str = "") -> Case:
    return _move(case, "implement", by=by, note=note)


@transaction.atomic
def case_close(*, case: Case, outcome: str, by, note: str = "") -> Case:
    if outcome not in CaseOutcome.values:
        raise ValidationError(_("Choose an outcome."))
    case = _locked(case)
    CASE.apply(case, "close", by=by, note=note, outcome=outcome, outcome_note=note, closed_at=timezone.now())
    _cancel_planned_sessions(case, by=by, note=_("The coaching case has been closed."))
    return case


@transaction.atomic
def case_cancel(*, case: Case, by) -> Case:
    """The company withdraws its open request."""
    case = _locked(case)
    note = _("Cancelled by the company.")
    CASE.apply(
        case, "cancel", by=by, note=note, outcome=CaseOutcome.CANCELLED, outcome_note=note, closed_at=timezone.now()
    )
    _cancel_planned_sessions(case, by=by, note=_("The company has withdrawn its request."))
    return case


# Sessions ----------------------------------------------------------------------------------------


def _check_duration(duration_hours: Decimal) -> None:
    if duration_hours is None or duration_hours <= 0 or duration_hours > MAX_SESSION_HOURS:
        raise ValidationError(
            {"duration_hours": _("The duration must be more than 0 and at most 12 hours.")}, code="duration"
        )


SESSION_EVENTS = ("session.plan", "session.reschedule", "session.cancel", "session.hold", "session.correct")
events.declare(*SESSION_EVENTS)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _calendar_address(email: str, name: str = "", **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = icalendar.vText(name)
    address.params.update(params)
    return address


def session_calendar(*, session: Session) -> bytes:
    """The session's invitation (.ics): METHOD:REQUEST while planned, METHOD:CANCEL once cancelled.

    One UID for the session's whole life and a higher SEQUENCE with each change, so calendar programs
    (Outlook, Thunderbird, Apple Calendar) update or remove the entry they have instead of adding one.
    Times are given in Europe/Berlin with its VTIMEZONE, which is what Outlook needs to place them.
    """
    case = session.case
    cancelled = session.status == SessionStatus.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Digitale Fabrik//Coaching//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(BERLIN))
    event.add("dtend", session.ends_at.astimezone(BERLIN))
    event.add("summary", _("InnovationCoach session: %(topic)s") % {"topic": case.get_topic_display()})
    event.add("location", session.location or ContactForm(session.form).label)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if case.coach:
        organiser = _calendar_address(case.coach.email, str(case.coach))
    else:
        name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organiser = _calendar_address(email, name)
    event.add("organizer", organiser)
    for email in _company_recipients(case):
        event.add(
            "attendee",
            _calendar_address(email, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE", CUTYPE="INDIVIDUAL"),
        )
    calendar.add_component(_berlin_timezone())
    calendar.add_component(event)
    return calendar.to_ical()


def _berlin_timezone() -> icalendar.Timezone:
    """Europe/Berlin as yearly rules (EU summer time since 1996: last Sunday of March to last Sunday
    of October). Outlook reads RRULE-based zones reliably, unlike lists of single transition dates."""
    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/Berlin")
    for component, name, offset_from, offset_to, start, month in (
        (icalendar.TimezoneDaylight(), "CEST", 1, 2, datetime.datetime(1970, 3, 29, 2), 3),
        (icalendar.TimezoneStandard(), "CET", 2, 1, datetime.datetime(1970, 10, 25, 3), 10),
    ):
        component.add("tzname", name)
        component.add("tzoffsetfrom", datetime.timedelta(hours=offset_from))
        component.add("tzoffsetto", datetime.timedelta(hours=offset_to))
        component.add("dtstart", start)
        component.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(component)
    return zone


def _send_invitation(session: Session, *, template: str, extra: dict | None = None) -> None:
    """After commit, e-mail the company the session's current invitation (.ics attached)."""
    case = session.case
    recipients, language = _company_recipients(case), _company_language(case)
    with translation.override(language or settings.LANGUAGE_CODE):
        ics = session_calendar(session=session)
    context = {
        "session": session,
        "case": case,
        "url": absolute_url(reverse("coaching:case_detail", args=[case.pk])),
        **(extra or {}),
    }
    transaction.on_commit(
        lambda: send_templated_mail(
            to=recipients,
            template=template,
            context=context,
            language=language,
            attachments=[("session.ics", ics, "text/calendar")],
            kind="case",
        )
    )


def _locked_session(session: Session, case: Case) -> Session:
    """The session's current row, locked (after its case: always case first, then session)."""
    locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk, case=case)
    locked.case = case
    return locked


def _check_planned_time(starts_at: datetime.datetime, duration_hours: Decimal) -> None:
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A planned session must lie in the future.")})
    _check_duration(duration_hours)


@transaction.atomic
def session_plan(
    *, case: Case, by, starts_at: datetime.datetime, duration_hours: Decimal, form: str, location: str = ""
) -> Session:
    """Plan a session; the company receives an e-mail with a calendar invitation."""
    case = _locked(case)
    if not case.is_open:
        raise ValidationError(_("Sessions cannot be planned for a closed case."))
    _check_planned_time(starts_at, duration_hours)
    session = Session(
        case=case, starts_at=starts_at, duration_hours=duration_hours, form=form, location=location, created_by=by
    )
    session.full_clean()
    session.save()
    if case.status == CaseStatus.NEW:
        CASE.apply(case, "work", by=by, note=_("First session planned."))
    events.publish("session.plan", session=session, by=by)
    _send_invitation(session, template="coaching/email/session_planned")
    return session


@transaction.atomic
def session_reschedule(
    *,
    session: Session,
    by,
    starts_at: datetime.datetime,
    duration_hours: Decimal,
    form: str,
    location: str = "",
) -> Session:
    """Move a planned session (time, duration, form or place); the company gets the updated invitation."""
    case = _locked(session.case)
    session = _locked_session(session, case)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned session can be rescheduled."))
    _check_planned_time(starts_at, duration_hours)
    previous = (session.starts_at, session.duration_hours, session.form, session.location)
    if previous == (starts_at, duration_hours, form, location):
        raise ValidationError(_("Nothing has changed: the session is already planned like this."))
    session.starts_at, session.duration_hours, session.form, session.location = (
        starts_at,
        duration_hours,
        form,
        location,
    )
    session.sequence += 1
    session.full_clean()
    session.save()
    events.publish("session.reschedule", session=session, by=by)
    _send_invitation(session, template="coaching/email/session_rescheduled", extra={"previous_starts_at": previous[0]})
    return session


@transaction.atomic
def session_cancel(*, session: Session, by, note: str = "") -> Session:
    """Call off a planned session; the company's calendar entry is cancelled (METHOD:CANCEL)."""
    case = _locked(session.case)
    return _cancel_locked_session(_locked_session(session, case), by=by, note=note)


def _cancel_planned_sessions(case: Case, *, by, note: str) -> None:
    """A case that closes keeps no appointment: its planned sessions are cancelled in the company's calendar."""
    planned = Session.objects.select_for_update(of=("self",)).filter(case=case, status=SessionStatus.PLANNED)
    for session in planned.order_by("pk"):
        session.case = case
        _cancel_locked_session(session, by=by, note=note)


def _cancel_locked_session(session: Session, *, by, note: str) -> Session:
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.cancelled_at = timezone.now()
    session.cancellation_note = note
    session.full_clean()
    session.save()
    events.publish("session.cancel", session=session, by=by)
    _send_invitation(session, template="coaching/email/session_cancelled")
    return session


def _clean_participants(participants: list[dict]) -> list[dict]:
    cleaned, seen = [], set()
    for participant in participants:
        name, email = participant.get("name", "").strip(), participant.get("email", "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("“%(email)s” is not a valid e-mail address of a participant.") % {"email": email}
            ) from None
        if not name:
            raise ValidationError(_("Enter the name of every participant."))
        if email.lower() in seen:
            raise ValidationError(_("%(email)s is listed twice among the participants.") % {"email": email})
        seen.add(email.lower())
        cleaned.append({"name": name, "email": email})
    return cleaned


def _mark_supported(case: Case, *, held_at: datetime.datetime) -> None:
    """The case's first held session: keep the date and the company as it is now (reports count by it)."""
    if case.first_held_at is None:
        company = case.company
        case.support_size_class, case.support_region, case.support_city = (
            company.size_class,
            company.region,
            company.city,
        )
        case.support_partner_id = company.responsible_partner_id
    case.first_held_at = held_at
    case.save(
        update_fields=["first_held_at", "support_size_class", "support_region", "support_city", "support_partner"]
    )


def _check_held_time(starts_at: datetime.datetime, duration_hours: Decimal) -> None:
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": _("A session in the future cannot be recorded as held.")})
    _check_duration(duration_hours)


def _write_held_record(
    session: Session,
    *,
    starts_at: datetime.datetime,
    duration_hours: Decimal,
    form: str,
    location: str,
    shared_notes: str,
    internal_notes: str,
    people: list[dict],
    next_steps: list[dict],
) -> None:
    """Save what a held session's record says: its fields, its participants and its next steps.

    The session's next steps are matched by position with ``next_steps``: kept ones keep their
    "done" mark, missing ones are removed, further ones are added.
    """
    session.starts_at, session.duration_hours, session.form, session.location = (
        starts_at,
        duration_hours,
        form,
        location,
    )
    session.shared_notes, session.internal_notes = shared_notes, internal_notes
    session.full_clean()
    session.save()
    session.participants.all().delete()
    SessionParticipant.objects.bulk_create(SessionParticipant(session=session, **person) for person in people)
    existing = list(session.next_steps.order_by("pk"))
    for position, step in enumerate(next_steps):
        next_step = (
            existing[position] if position < len(existing) else NextStep(case_id=session.case_id, session=session)
        )
        next_step.description, next_step.due_date = step["description"], step["due_date"]
        next_step.full_clean()
        next_step.save()
    NextStep.objects.filter(pk__in=[step.pk for step in existing[len(next_steps) :]]).delete()


def session_record_snapshot(session: Session) -> dict:
    """What a held session's record says, in plain values (a correction keeps one before and one after)."""
    return {
        "starts_at": timezone.localtime(session.starts_at).isoformat(),
        "duration_hours": str(session.duration_hours.normalize()),
        "form": session.form,
        "location": session.location,
        "shared_notes": session.shared_notes,
        "internal_notes": session.internal_notes,
        "participants": [f"{person.name} <{person.email}>" for person in session.participants.order_by("pk")],
        "next_steps": [
            f"{step.description} ({step.due_date.isoformat()})" for step in session.next_steps.order_by("pk")
        ],
    }


@transaction.atomic
def session_record_held(
    *,
    case: Case,
    by,
    starts_at: datetime.datetime,
    duration_hours: Decimal,
    form: str,
    session: Session | None = None,
    location: str = "",
    shared_notes: str = "",
    internal_notes: str = "",
    participants: list[dict] = (),
    next_steps: list[dict] = (),
) -> Session:
    """Record a (planned or ad-hoc) session as held with its participants, notes and next steps.

    Either everything is saved or nothing: any invalid part raises ValidationError and rolls back.
    """
    case = _locked(case)
    if not case.is_open:
        raise ValidationError(_("Sessions cannot be recorded for a closed case."))
    _check_held_time(starts_at, duration_hours)
    people = _clean_participants(list(participants))
    if session is None:
        session = Session(case=case, created_by=by)
    else:
        session = _locked_session(session, case) if session.case_id == case.pk else None
        if session is None or session.status != SessionStatus.PLANNED:
            raise ValidationError(_("Only a planned session of this case can be recorded as held."))
    session.status = SessionStatus.HELD
    session.held_recorded_at = timezone.now()
    _write_held_record(
        session,
        starts_at=starts_at,
        duration_hours=duration_hours,
        form=form,
        location=location,
        shared_notes=shared_notes,
        internal_notes=internal_notes,
        people=people,
        next_steps=list(next_steps),
    )
    if case.first_held_at is None or starts_at < case.first_held_at:
        _mark_supported(case, held_at=starts_at)
    if case.status == CaseStatus.NEW:
        CASE.apply(case, "work", by=by, note=_("First session held."))
    events.publish("session.hold", session=session, case=case, by=by)
    return session


def session_correction_deadline(session: Session) -> datetime.datetime | None:
    """Until when a held session's record may be corrected: 14 days after it was recorded as held."""
    if session.status != SessionStatus.HELD or session.held_recorded_at is None:
        return None
    return session.held_recorded_at + CORRECTION_PERIOD


def session_is_correctable(session: Session) -> bool:
    deadline = session_correction_deadline(session)
    return deadline is not None and timezone.now() < deadline


@transaction.atomic
def session_correct(
    *,
    session: Session,
    by,
    starts_at: datetime.datetime,
    duration_hours: Decimal,
    form: str,
    location: str = "",
    shared_notes: str = "",
    internal_notes: str = "",
    participants: list[dict] = (),
    next_steps: list[dict] = (),
    note: str = "",
) -> SessionCorrection:
    """Correct a held session's record within 14 days of recording it; before and after are kept."""
    case = _locked(session.case)
    session = _locked_session(session, case)
    if not session_is_correctable(session):
        raise ValidationError(_("This session can no longer be corrected: corrections are possible for 14 days."))
    _check_held_time(starts_at, duration_hours)
    people = _clean_participants(list(participants))
    before = session_record_snapshot(session)
    _write_held_record(
        session,
        starts_at=starts_at,
        duration_hours=duration_hours,
        form=form,
        location=location,
        shared_notes=shared_notes,
        internal_notes=internal_notes,
        people=people,
        next_steps=list(next_steps),
    )
    after = session_record_snapshot(session)
    if before == after:
        raise ValidationError(_("Nothing has changed: the record already says this."))
    correction = SessionCorrection.objects.create(session=session, by=by, before=before, after=after, note=note)
    case = session.case
    if case.first_held_at is not None and starts_at < case.first_held_at:
        # A corrected date earlier than the case's first support moves that support back in time.
        _mark_supported(case, held_at=starts_at)
    events.publish("session.correct", session=session, correction=correction, by=by)
    return correction


def next_step_set_done(*, step: NextStep, done: bool) -> NextStep:
    step.done = done
    step.done_at = timezone.now() if done else None
    step.full_clean()
    step.save(update_fields=["done", "done_at"])
    return step


# Projects ----------------------------------------------------------------------------------------


@transaction.atomic
def project_save(
    *,
    title: str,
    topic: str,
    coach: User,
    companies: Iterable[Company],
    description: str = "",
    outcome: str = "",
    project: Project | None = None,
) -> Project:
    """Create or edit a cross-company project with its participating companies."""
    project = project or Project()
    project.title, project.topic, project.coach = title, topic, coach
    project.description, project.outcome = description, outcome
    project.full_clean()
    project.save()
    project.companies.set(companies)
    events.publish("coaching.project_saved", project=project)
    return project


@transaction.atomic
def project_meeting_add(*, project: Project, starts_at: datetime.datetime, place: str = "", notes: str = ""):
    meeting = ProjectMeeting(project=project, starts_at=starts_at, place=place, notes=notes)
    meeting.full_clean()
    meeting.save()
    events.publish("coaching.project_met", project=project, meeting=meeting)
    return meeting


# Events ------------------------------------------------------------------------------------------


def event_create(
    *,
    title: str,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    place: str,
    organiser,
    capacity: int,
    description: str = "",
) -> Event:
    event = Event(
        title=title,
        kind=kind,
        topic=topic,
        starts_at=starts_at,
        place=place,
        organiser=organiser,
        capacity=capacity,
        description=description,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_register(*, event: Event, by, name: str, email: str, company: Company | None = None) -> EventRegistration:
    """Register a person; refuses a started event, a full one and a second registration of an address."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    email = email.strip()
    if event.has_started:
        raise ValidationError(_("Registration has closed: this event has already begun."), code="closed")
    if event.registrations.filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already registered for this event.") % {"email": email})
    if event.registrations.count() >= event.capacity:
        raise ValidationError(_("This event is fully booked."))
    registration = EventRegistration(event=event, name=name.strip(), email=email, company=company, registered_by=by)
    registration.full_clean()
    registration.save()
    events.publish("event.register", registration=registration, by=by)
    return registration


@transaction.atomic
def event_registration_cancel(*, registration: EventRegistration, by) -> None:
    """The company takes back a registration; possible until the event begins. The place is free again."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if event.has_started:
        raise ValidationError(_("This registration can no longer be cancelled: the event has already begun."))
    deleted, _rows = EventRegistration.objects.filter(pk=registration.pk, event=event).delete()
    if not deleted:
        raise ValidationError(_("This registration has already been cancelled."))


ATTENDANCE_VALUES = {"yes": True, "no": False, "unknown": None}


@transaction.atomic
def event_record_attendance(*, event: Event, attendance: Mapping[int, bool | None]) -> int:
    """Record yes, no or unknown (None) for the given registrations of ``event``; returns how many came."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.has_started:
        raise ValidationError(_("Attendance can be recorded once the event has begun."))
    registrations = event.registrations.all()
    unknown = set(attendance) - set(registrations.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Some of the registrations do not belong to this event."))
    for value in (True, False, None):
        chosen = [pk for pk, attended in attendance.items() if attended is value]
        if chosen:
            registrations.filter(pk__in=chosen).update(attended=value)
    events.publish("coaching.event_attendance", event=event)
    return registrations.filter(attended=True).count()
