"""Dashboard figures of the coaching side: a few aggregate queries each."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from coaching import selectors
from coaching.choices import CaseStatus, SessionStatus
from coaching.models import Event, Session

register = template.Library()
# The dashboard tile counts the planned sessions of the next week and links to them.
UPCOMING_TILE_DAYS = 7


def _open(cases):
    return cases.exclude(status=CaseStatus.CLOSED)


@register.simple_tag(takes_context=True)
def coaching_company_summary(context) -> dict:
    cases = selectors.cases_visible_to(context["request"].user)
    return _open(cases).aggregate(
        open_cases=Count("pk", distinct=True),
        waiting=Count("pk", filter=Q(status=CaseStatus.WAITING_FOR_COMPANY), distinct=True),
    )


@register.simple_tag(takes_context=True)
def coaching_team_summary(context) -> dict:
    user = context["request"].user
    cases = selectors.caseload(user=user).order_by()
    summary = _open(cases).aggregate(
        open_cases=Count("pk", distinct=True), overdue_cases=Count("pk", filter=Q(overdue=True), distinct=True)
    )
    summary["queue"] = selectors.queue(user=user).count()
    summary["upcoming_sessions"] = selectors.upcoming_sessions(user=user, days=UPCOMING_TILE_DAYS).count()
    summary["upcoming_days"] = UPCOMING_TILE_DAYS
    return summary


@register.simple_tag
def coaching_funder_summary() -> dict:
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    return {
        "people_reached": selectors.people_reached(start=start, end=today),
        "sessions_held": Session.objects.filter(status=SessionStatus.HELD, starts_at__date__gte=start).count(),
        "events": Event.objects.filter(starts_at__date__gte=start, starts_at__date__lte=today).count(),
    }


STATUS_BADGES = {
    CaseStatus.NEW: "text-bg-primary",
    CaseStatus.WAITING_FOR_COMPANY: "text-bg-warning",
    CaseStatus.CLOSED: "text-bg-secondary",
}


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class of a case status."""
    return STATUS_BADGES.get(status, "text-bg-info")
