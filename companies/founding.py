"""The "new enterprise" rule of the ERDF output indicator RCO05 / CO05, in one place.

An enterprise is new when it had existed for less than three years on the day it received the
support: founded after the same calendar day three years earlier. Founded exactly three years before
the support it is no longer new; one day later it still is. (Supported on 29 February, "three years
earlier" is 28 February.)

``is_new_enterprise`` is the rule; ``new_enterprise_q`` is the same rule in SQL for the indicator
queries, and the tests hold both to the same boundary cases.
"""

import datetime

from django.db.models import DateField, Func, Q

NEW_ENTERPRISE_YEARS = 3


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def is_new_enterprise(*, founding_date: datetime.date, supported_on: datetime.date) -> bool:
    """Whether a company founded on ``founding_date`` was under three years old on ``supported_on``."""
    return founding_date > years_before(supported_on, NEW_ENTERPRISE_YEARS)


class _YearsBefore(Func):
    """``date - interval 'n years'`` as a date (PostgreSQL clamps 29 February to the 28th, as above)."""

    output_field = DateField()

    def __init__(self, expression, years: int):
        super().__init__(expression)
        self.years = int(years)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::date - interval '{self.years} years')::date", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '-{self.years} years')", params


def new_enterprise_q(*, founding_date: str, supported_on) -> Q:
    """``is_new_enterprise`` as a filter: the company field ``founding_date`` (confirmed) against the
    expression ``supported_on`` (a date or timestamp of the first support)."""
    confirmed = founding_date.removesuffix("founding_date") + "founding_date_confirmed"
    return Q(**{confirmed: True, f"{founding_date}__gt": _YearsBefore(supported_on, NEW_ENTERPRISE_YEARS)})


def new_enterprise_sql(*, founding_date: str, confirmed: str, supported_on: str, vendor: str = "postgresql") -> str:
    """``is_new_enterprise`` as a SQL condition over three column expressions (PostgreSQL; SQLite for make run)."""
    if vendor == "sqlite":
        return f"({confirmed} AND {founding_date} > date({supported_on}, '-{NEW_ENTERPRISE_YEARS} years'))"
    return (
        f"({confirmed} AND {founding_date} > (({supported_on})::date - interval '{NEW_ENTERPRISE_YEARS} years')::date)"
    )
