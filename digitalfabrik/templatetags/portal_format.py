"""How the portal writes a duration, everywhere: "1 h 30 min", "45 min", "3 days" ("1 Std. 30 Min.", "3 Tage")."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def format_duration(length: datetime.timedelta) -> str:
    """A length of time: whole days from one day on, otherwise hours and minutes (rounded to the minute)."""
    minutes = max(0, round(length.total_seconds() / 60))
    if minutes >= 24 * 60:
        days = minutes // (24 * 60)
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def duration(value, now=None) -> str:
    """``hours|duration`` (a number of hours), ``timedelta|duration``, or ``since|duration:now`` (time passed)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = (now or timezone.now()) - value
    elif not isinstance(value, datetime.timedelta):
        value = datetime.timedelta(hours=float(Decimal(str(value))))
    return format_duration(value)
