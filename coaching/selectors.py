"""Reads shared by views, dashboards and reports. Every list runs a fixed number of queries."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts import permissions as roles
from accounts.models import User
from companies.scope import scope_q
from digitalfabrik.dates import on_days
from digitalfabrik.db import AnyOf, choice_label
from programme.choices import Topic

from .choices import CaseStatus, SessionStatus
from .models import (
    Case,
    CaseAssignment,
    CaseStatusChange,
    Event,
    EventRegistration,
    NextStep,
    Project,
    Session,
    SessionCorrection,
    SessionParticipant,
)
from .services import coaches_by_open_cases


def cases_visible_to(user) -> QuerySet[Case]:
    if roles.is_programme_staff(user):
        return Case.objects.filter(scope_q(user, company="company__"))
    if roles.is_coach(user):
        # A subquery, not a join: no DISTINCT over every column before the page is cut.
        added = Case.added_coaches.through.objects.filter(user=user).values("case_id")
        return Case.objects.filter(Q(coach=user) | Q(pk__in=added) | Q(coach__isnull=True))
    if roles.is_company_user(user):
        return Case.objects.filter(company__memberships__user=user)
    return Case.objects.none()


def _overdue() -> Exists:
    """The case has a next step past its due date that is not done."""
    return Exists(NextStep.objects.filter(case=OuterRef("pk"), done=False, due_date__lt=timezone.localdate()))


def _with_sessions_and_follow_ups(cases: QuerySet[Case]) -> QuerySet[Case]:
    sessions = Session.objects.filter(case=OuterRef("pk"))
    return cases.annotate(
        last_session=Subquery(
            sessions.filter(status=SessionStatus.HELD).order_by("-starts_at").values("starts_at")[:1]
        ),
        next_session=Subquery(
            sessions.filter(status=SessionStatus.PLANNED).order_by("starts_at").values("starts_at")[:1]
        ),
        overdue=_overdue(),
    )


def _desk(user) -> QuerySet[Case]:
    """The cases on a coach's desk (own and added); staff and admins every case they may see. Each case
    once (subqueries and single-valued joins only), so counts need no DISTINCT."""
    if roles.is_coach(user):
        added = Case.added_coaches.through.objects.filter(user=user).values("case_id")
        return Case.objects.filter(Q(coach=user) | AnyOf(F("pk"), added))
    return cases_visible_to(user)


def caseload(*, user) -> QuerySet[Case]:
    """The cases on a coach's desk (own and added); staff and admins see every case they may see."""
    return (
        _with_sessions_and_follow_ups(_desk(user).select_related("company", "coach"))
        .only("topic", "status", "created_at", "company__name", "coach__first_name", "coach__last_name", "coach__email")
        .annotate(
            topic_label=choice_label("topic", Topic.choices), status_label=choice_label("status", CaseStatus.choices)
        )
    )


def status_counts(cases: QuerySet[Case]) -> list[dict]:
    """Counts per status (every status listed, zero included), in one query."""
    counts = dict(cases.order_by().values_list("status").annotate(total=Count("pk", distinct=True)))
    return [{"status": status, "label": label, "total": counts.get(status, 0)} for status, label in CaseStatus.choices]


def queue(*, user) -> QuerySet[Case]:
    """Open requests without a coach, oldest first."""
    return (
        cases_visible_to(user)
        .filter(coach__isnull=True)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("company__responsible_partner", "requested_by")
        .order_by("created_at")
    )


def default_coaches_by_region() -> dict[str, User]:
    """The default coach per city (fewest open cases first), in one query, for the queue page."""
    result: dict[str, User] = {}
    ranked = coaches_by_open_cases().exclude(responsible_for="")
    for coach in ranked:
        result.setdefault(coach.responsible_for, coach)
    return result


def cases_in_detail() -> QuerySet[Case]:
    """Cases with everything their detail page shows."""
    return Case.objects.select_related("company", "coach", "requested_by").prefetch_related(
        "added_coaches",
        Prefetch(
            "sessions",
            queryset=Session.objects.prefetch_related(
                "participants", Prefetch("corrections", queryset=SessionCorrection.objects.select_related("by"))
            ),
        ),
        Prefetch("next_steps", queryset=NextStep.objects.all()),
        Prefetch("status_changes", queryset=CaseStatusChange.objects.select_related("by")),
        Prefetch(
            "assignments",
            queryset=CaseAssignment.objects.select_related("coach", "previous_coach", "by"),
        ),
    )


def company_requests(*, user) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .select_related("company", "coach")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(status=SessionStatus.HELD).exclude(shared_notes=""),
                to_attr="shared_sessions",
            ),
            Prefetch("next_steps", queryset=NextStep.objects.filter(done=False), to_attr="open_next_steps"),
        )
        .order_by("-created_at")
    )


def event_list(*, user, upcoming: bool) -> QuerySet[Event]:
    """Upcoming events (soonest first, open for registration) or past ones (latest first)."""
    now = timezone.now()
    # Counted per event in a subquery (one index range each) instead of grouping every event's
    # joined registrations before the page is cut.
    registrations = EventRegistration.objects.filter(event=OuterRef("pk")).order_by().values("event")
    events = Event.objects.select_related("organiser").annotate(
        registered=Coalesce(Subquery(registrations.annotate(n=Count("pk")).values("n")), 0),
        attended=Coalesce(Subquery(registrations.filter(attended=True).annotate(n=Count("pk")).values("n")), 0),
    )
    if upcoming:
        return events.filter(starts_at__gt=now).order_by("starts_at", "pk")
    return events.filter(starts_at__lte=now).order_by("-starts_at", "-pk")


def upcoming_sessions(*, user, days: int | None = None) -> QuerySet[Session]:
    """Planned sessions from now on of the open cases on ``user``'s desk (the caseload), soonest first."""
    now = timezone.now()
    cases = _open(_desk(user)).values("pk")
    sessions = Session.objects.filter(case__in=cases, status=SessionStatus.PLANNED, starts_at__gte=now)
    if days:
        sessions = sessions.filter(starts_at__lt=now + datetime.timedelta(days=days))
    return sessions.select_related("case__company", "case__coach").order_by("starts_at", "pk")


def event_registrations(*, event: Event, user) -> QuerySet[EventRegistration]:
    registrations = event.registrations.select_related("company")
    if roles.is_company_user(user):
        return registrations.filter(company__memberships__user=user)
    return registrations


def people_reached(*, start: datetime.date | None = None, end: datetime.date | None = None) -> int:
    """Distinct persons (by lower-cased e-mail) in held sessions and attended events, dates inclusive.

    Each person counts once in the period, whether they came to one session or to ten events.
    """
    sessions = SessionParticipant.objects.filter(session__status=SessionStatus.HELD)
    events = EventRegistration.objects.filter(attended=True)
    sessions = sessions.filter(on_days("session__starts_at", start, end))
    events = events.filter(on_days("event__starts_at", start, end))
    emails = (
        sessions.annotate(person=Lower("email"))
        .values("person")
        .order_by()
        .union(events.annotate(person=Lower("email")).values("person").order_by())
    )
    return emails.count()


def project_list() -> QuerySet[Project]:
    return (
        Project.objects.select_related("coach")
        .annotate(company_count=Count("companies", distinct=True), meeting_count=Count("meetings", distinct=True))
        .order_by("-created_at")
    )


# --- the role dashboards' coaching panels (registered with accounts.dashboard in CoachingConfig.ready()) ---


# The dashboard tile counts the planned sessions of the next week and links to them.
UPCOMING_TILE_DAYS = 7


def _open(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.exclude(status=CaseStatus.CLOSED)


def company_dashboard(user) -> dict:
    """The company's open requests and those waiting for its reply (one query)."""
    return _open(cases_visible_to(user)).aggregate(
        open_cases=Count("pk", distinct=True),
        waiting=Count("pk", filter=Q(status=CaseStatus.WAITING_FOR_COMPANY), distinct=True),
    )


def team_dashboard(user) -> dict:
    """A coach's or staff member's open and overdue cases, the queue and the coming week's sessions (four
    queries). Open and overdue are counted apart: the open ones from an index alone, the overdue ones from
    the late next steps; one count of both tested every open case for a late step (at 100 k companies,
    staff with every case in scope: 15 -> 4 ms)."""
    open_cases = _open(_desk(user))
    figures = {"open_cases": open_cases.count(), "overdue_cases": open_cases.filter(_overdue()).count()}
    figures["queue"] = queue(user=user).count()
    figures["upcoming_sessions"] = upcoming_sessions(user=user, days=UPCOMING_TILE_DAYS).count()
    figures["upcoming_days"] = UPCOMING_TILE_DAYS
    return figures
