"""Numbers, money and dates the way the report's language writes them (German: 1.234,56 €; 25.11.2026)."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def euro(value) -> str:
    if value is None or value == "":
        return "–"
    return f"{number_format(Decimal(value), 2, force_grouping=True)}\u00a0€"


@register.filter
def num(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return "–"
    return number_format(value, decimals, force_grouping=True)


@register.filter
def days(value) -> str:
    """A duration in days with its unit (German: 12,5 Tage)."""
    if value is None or value == "":
        return "–"
    return _("%(days)s days") % {"days": num(value, 1)}


@register.filter
def day(value) -> str:
    if not value:
        return "–"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def css_string(value) -> str:
    """Text for a CSS string literal in double quotes (page headers and footers)."""
    return " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"')
