"""Local calendar days as timestamp bounds, so that an index on a timestamp column serves the filter.

``field__date__gte=day`` converts every row's timestamp to the programme's time zone before comparing
(no index can help); these compare the column with the start of the local day instead.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the current time zone (the programme's)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def on_days(field: str, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """``field``'s local date lies between ``start`` and ``end`` (both inclusive; either may be open)."""
    bounds = {}
    if start is not None:
        bounds[f"{field}__gte"] = day_start(start)
    if end is not None:
        bounds[f"{field}__lt"] = day_start(end + ONE_DAY)
    return Q(**bounds)


def as_date(value) -> datetime.date | None:
    """A date as a raw query hands it back: a date, a moment (its date; a local one where the query
    converted it), or text, as SQLite returns both."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime.datetime) else value
