"""Figures for the InnoScheck partials on the role dashboards (a few aggregate queries each)."""

from django import template

from .. import selectors

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
