"""Every write and business rule of the coaching side: requests, assignment, status, sessions, events."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

import icalendar
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from companies.models import Company
from digitalfabrik.mail import absolute_url, send_templated_mail
from programme import events as domain_events

from .choices import CaseOutcome, CaseStatus, ContactForm, SessionStatus
from .models import (
    MAX_SESSION_HOURS,
    Case,
    CaseAssignment,
    Event,
    EventRegistration,
    NextStep,
    Project,
    ProjectMeeting,
    Session,
    SessionParticipant,
)
from .workflow import CASE

# Published here besides the case workflow's transitions (notifications.table says who is told).
domain_events.declare("event.register")


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


def default_coach(*, company: Company) -> User | None:
    """The coach responsible for the company's city; among several, the one with the fewest open cases."""
    return (
        coaches()
        .filter(responsible_for=company.region)
        .annotate(open_cases=Count("coaching_cases", filter=~Q(coaching_cases__status=CaseStatus.CLOSED)))
        .order_by("open_cases", "pk")
        .first()
    )


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
    context = {"case": case, "coach": coach, "url": absolute_url(reverse("coaching:case_detail", args=[case.pk]))}
    recipients, language = _company_recipients(case), _company_language(case)
    transaction.on_commit(
        lambda: send_templated_mail(
            to=recipients, template="coaching/email/case_assigned", context=context, language=language
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
    return CaseAssignment.objects.create(case=case, kind=CaseAssignment.Kind.ADDED, coach=coach, by=by, note=note)


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
    return case


@transaction.atomic
def case_cancel(*, case: Case, by) -> Case:
    """The company withdraws its open request."""
    case = _locked(case)
    note = _("Cancelled by the company.")
    CASE.apply(
        case, "cancel", by=by, note=note, outcome=CaseOutcome.CANCELLED, outcome_note=note, closed_at=timezone.now()
    )
    return case


# Sessions ----------------------------------------------------------------------------------------


def _check_duration(duration_hours: Decimal) -> None:
    if duration_hours is None or duration_hours <= 0 or duration_hours > MAX_SESSION_HOURS:
        raise ValidationError(
            {"duration_hours": _("The duration must be more than 0 and at most 12 hours.")}, code="duration"
        )


def session_calendar(*, session: Session) -> bytes:
    """An iCalendar invitation (.ics) for a planned session."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Digitale Fabrik//Coaching//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"coaching-session-{session.pk}@digitale-fabrik")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.starts_at + datetime.timedelta(hours=float(session.duration_hours)))
    event.add("summary", _("InnovationCoach session: %(topic)s") % {"topic": session.case.get_topic_display()})
    event.add("location", session.location or ContactForm(session.form).label)
    if session.case.coach:
        event.add("organizer", f"mailto:{session.case.coach.email}")
    calendar.add_component(event)
    return calendar.to_ical()


@transaction.atomic
def session_plan(
    *, case: Case, by, starts_at: datetime.datetime, duration_hours: Decimal, form: str, location: str = ""
) -> Session:
    """Plan a session; the company receives an e-mail with a calendar invitation."""
    case = _locked(case)
    if not case.is_open:
        raise ValidationError(_("Sessions cannot be planned for a closed case."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A planned session must lie in the future.")})
    _check_duration(duration_hours)
    session = Session(
        case=case, starts_at=starts_at, duration_hours=duration_hours, form=form, location=location, created_by=by
    )
    session.full_clean()
    session.save()
    if case.status == CaseStatus.NEW:
        CASE.apply(case, "work", by=by, note=_("First session planned."))
    context = {"session": session, "case": case, "url": absolute_url(reverse("coaching:case_detail", args=[case.pk]))}
    ics = session_calendar(session=session)
    recipients, language = _company_recipients(case), _company_language(case)
    transaction.on_commit(
        lambda: send_templated_mail(
            to=recipients,
            template="coaching/email/session_planned",
            context=context,
            language=language,
            attachments=[("session.ics", ics, "text/calendar")],
        )
    )
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
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": _("A session in the future cannot be recorded as held.")})
    _check_duration(duration_hours)
    people = _clean_participants(list(participants))
    if session is None:
        session = Session(case=case, created_by=by)
    elif session.case_id != case.pk or session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned session of this case can be recorded as held."))
    session.status = SessionStatus.HELD
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
    for step in next_steps:
        next_step = NextStep(case=case, session=session, description=step["description"], due_date=step["due_date"])
        next_step.full_clean()
        next_step.save()
    if case.status == CaseStatus.NEW:
        CASE.apply(case, "work", by=by, note=_("First session held."))
    return session


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
    return project


def project_meeting_add(*, project: Project, starts_at: datetime.datetime, place: str = "", notes: str = ""):
    meeting = ProjectMeeting(project=project, starts_at=starts_at, place=place, notes=notes)
    meeting.full_clean()
    meeting.save()
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
    """Register a person; refuses a full event and a second registration of the same e-mail address."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    email = email.strip()
    if event.starts_at < timezone.now():
        raise ValidationError(_("This event has already taken place."))
    if event.registrations.filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already registered for this event.") % {"email": email})
    if event.registrations.count() >= event.capacity:
        raise ValidationError(_("This event is fully booked."))
    registration = EventRegistration(event=event, name=name.strip(), email=email, company=company, registered_by=by)
    registration.full_clean()
    registration.save()
    domain_events.publish("event.register", registration=registration, by=by)
    return registration


@transaction.atomic
def event_record_attendance(*, event: Event, attended_ids: Iterable[int]) -> int:
    """Mark exactly the given registrations as attended; returns how many attended."""
    if event.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the event has begun."))
    attended_ids = set(attended_ids)
    registrations = event.registrations.all()
    registrations.filter(pk__in=attended_ids).update(attended=True)
    registrations.exclude(pk__in=attended_ids).update(attended=False)
    return registrations.filter(attended=True).count()
