"""The personal task list of staff and coaches: what waits for me, each list in my scope."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import permissions as roles
from coaching.choices import CaseStatus, SessionStatus
from coaching.models import Case, NextStep, Session
from coaching.selectors import cases_visible_to
from companies.scope import scope_q
from innoscheck.models import Application
from innoscheck.workflow import Status

LIMIT = 50


@dataclass
class TaskList:
    to_review: QuerySet[Application]
    proofs: QuerySet[Application]
    overdue_steps: QuerySet[NextStep]
    unassigned: QuerySet[Case]
    sessions_to_record: QuerySet[Session]


def _my_cases(user) -> QuerySet[Case]:
    """A coach's own cases (lead or added); for staff the cases of the companies they look after."""
    if roles.is_coach(user):
        return Case.objects.filter(Q(coach=user) | Q(added_coaches=user))
    return cases_visible_to(user)


def task_list(*, user) -> TaskList:
    now = timezone.now()
    staff = roles.is_programme_staff(user)
    applications = Application.objects.filter(scope_q(user, company="company__")).select_related("company")
    nothing = Application.objects.none()
    my_cases = _my_cases(user).exclude(status=CaseStatus.CLOSED).values("pk")
    return TaskList(
        to_review=(
            applications.filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW]).order_by("submitted_at", "pk")
            if staff
            else nothing
        )[:LIMIT],
        proofs=(applications.filter(status=Status.PROOF_SUBMITTED).order_by("pk") if staff else nothing)[:LIMIT],
        overdue_steps=NextStep.objects.filter(case__in=my_cases, done=False, due_date__lt=timezone.localdate())
        .select_related("case__company")
        .order_by("due_date", "pk")[:LIMIT],
        unassigned=cases_visible_to(user)
        .filter(coach__isnull=True)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("company")
        .order_by("created_at")[:LIMIT],
        sessions_to_record=Session.objects.filter(case__in=my_cases, status=SessionStatus.PLANNED, starts_at__lt=now)
        .select_related("case__company")
        .order_by("starts_at", "pk")[:LIMIT],
    )
