"""Figures for the InnoScheck partials on the role dashboards (a few aggregate queries each)."""

from django import template

from .. import selectors
from ..workflow import Status

register = template.Library()


@register.simple_tag
def innoscheck_staff_figures() -> dict:
    return selectors.staff_dashboard()


@register.simple_tag
def innoscheck_company_figures(user) -> dict:
    return selectors.company_dashboard(user)


@register.simple_tag
def innoscheck_funder_figures() -> dict:
    return selectors.funder_dashboard()


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
