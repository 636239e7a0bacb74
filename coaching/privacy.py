"""The coaching part of a person's data export and erasure (accounts.privacy; registered in CoachingConfig.ready())."""

from django.db.models import Q

from accounts.privacy import ERASED_NAME, Export, Part, Subject, person_name, person_pseudonym_email, row_fields

from .models import (
    Case,
    CaseAssignment,
    CaseStatusChange,
    EventRegistration,
    NextStep,
    Project,
    ProjectMeeting,
    Session,
    SessionParticipant,
)

# Never part of an export: what coaches write for themselves only.
INTERNAL_SESSION_FIELDS = {"internal_notes", "created_by"}


def _cases(subject: Subject) -> list[dict]:
    cases = (
        Case.objects.filter(company__in=subject.company_ids)
        .select_related("coach")
        .prefetch_related("sessions__participants", "next_steps")
        .order_by("created_at", "pk")
    )
    result = []
    for case in cases:
        row = row_fields(case)
        row["coach_name"] = person_name(case.coach)
        row["requested_by_you"] = case.requested_by_id == subject.user.pk
        row["sessions"] = [
            {
                **row_fields(session, exclude=INTERNAL_SESSION_FIELDS),
                "participants": [
                    {"name": person.name, "email": person.email if person.email.lower() in subject.emails else None}
                    for person in session.participants.all()
                ],
            }
            for session in case.sessions.all()
        ]
        row["next_steps"] = [row_fields(step) for step in case.next_steps.all()]
        result.append(row)
    return result


def _own_session_participations(subject: Subject) -> list[dict]:
    participations = (
        SessionParticipant.objects.filter(subject.email_q("email"))
        .select_related("session__case__company")
        .order_by("session__starts_at", "pk")
    )
    return [
        {
            "name": person.name,
            "email": person.email,
            "company": person.session.case.company.name,
            "topic": person.session.case.topic,
            "starts_at": person.session.starts_at,
            "form": person.session.form,
            "status": person.session.status,
        }
        for person in participations
    ]


def _event_registrations(subject: Subject) -> list[dict]:
    user = subject.user
    registrations = (
        EventRegistration.objects.filter(
            subject.email_q("email") | Q(company__in=subject.company_ids) | Q(registered_by=user)
        )
        .select_related("event", "company")
        .order_by("event__starts_at", "pk")
    )
    return [
        {
            **row_fields(registration, exclude={"registered_by"}),
            "registered_by_you": registration.registered_by_id == user.pk,
            "event": {
                "title": registration.event.title,
                "kind": registration.event.kind,
                "starts_at": registration.event.starts_at,
                "place": registration.event.place,
                "topic": registration.event.topic,
            },
            "company_name": registration.company.name if registration.company_id else None,
        }
        for registration in registrations
    ]


def _projects(subject: Subject) -> list[dict]:
    projects = (
        Project.objects.filter(companies__in=subject.company_ids)
        .distinct()
        .select_related("coach")
        .prefetch_related("meetings")
        .order_by("created_at", "pk")
    )
    return [
        {
            **row_fields(project),
            "coach_name": person_name(project.coach),
            "meetings": [row_fields(meeting) for meeting in project.meetings.all()],
        }
        for project in projects
    ]


def export(subject: Subject) -> Export:
    return Export(
        {
            "coaching_cases.json": _cases(subject),
            "coaching_session_participations.json": _own_session_participations(subject),
            "coaching_projects.json": _projects(subject),
            "event_registrations.json": _event_registrations(subject),
        }
    )


def erase(subject: Subject) -> None:
    for email in subject.emails:
        pseudonym = person_pseudonym_email(email)
        SessionParticipant.objects.filter(email__iexact=email).update(name=ERASED_NAME, email=pseudonym)
        EventRegistration.objects.filter(email__iexact=email).update(name=ERASED_NAME, email=pseudonym)
    cases = Case.objects.filter(Q(company_id__in=subject.company_ids) | Q(requested_by=subject.user))
    subject.scrub(cases, ["description", "preferred_dates", "outcome_note"])
    subject.scrub(CaseStatusChange.objects.filter(case__in=cases), ["note"])
    subject.scrub(CaseAssignment.objects.filter(case__in=cases), ["note"])
    subject.scrub(Session.objects.filter(case__in=cases), ["location", "shared_notes", "internal_notes"])
    subject.scrub(NextStep.objects.filter(case__in=cases), ["description"])
    projects = Project.objects.filter(companies__in=subject.company_ids)
    subject.scrub(Project.objects.filter(pk__in=projects), ["description", "outcome"])
    subject.scrub(ProjectMeeting.objects.filter(project__in=projects), ["place", "notes"])


PART = Part(name="coaching", export=export, erase=erase)
