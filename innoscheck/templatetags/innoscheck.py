"""Presentation filters of the voucher pages (no queries: the dashboards' figures come from innoscheck.selectors)."""

from django import template

from ..workflow import Status

register = template.Library()


STATUS_BADGES = {
    Status.APPROVED: "text-bg-success",
    Status.VERIFIED: "text-bg-success",
    Status.PAID: "text-bg-success",
    Status.REJECTED: "text-bg-secondary",
    Status.CANCELLED: "text-bg-secondary",
    Status.EXPIRED: "text-bg-secondary",
    Status.WITHDRAWN: "text-bg-secondary",
    Status.CHANGES_REQUESTED: "text-bg-warning",
}


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class of an application status."""
    return STATUS_BADGES.get(status, "text-bg-info")
