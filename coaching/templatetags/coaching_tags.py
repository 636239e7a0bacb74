"""Presentation filters of the coaching pages (no queries: the dashboards' figures come from coaching.selectors)."""

from django import template

from coaching.choices import CaseStatus

register = template.Library()


STATUS_BADGES = {
    CaseStatus.NEW: "text-bg-primary",
    CaseStatus.WAITING_FOR_COMPANY: "text-bg-warning",
    CaseStatus.CLOSED: "text-bg-secondary",
}


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class of a case status."""
    return STATUS_BADGES.get(status, "text-bg-info")
