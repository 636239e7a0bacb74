"""Reporting periods: the presets funders use (quarter, half-year, year, whole phase)."""

import datetime
from dataclasses import dataclass

from .models import PeriodPreset


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def _month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def period_for(*, preset: str, phase, year: int | None = None, part: int | None = None) -> Period:
    """The dates of a preset period. ``part`` is the quarter (1–4) or half-year (1–2)."""
    if preset == PeriodPreset.PHASE:
        return Period(phase.start, phase.end)
    if preset == PeriodPreset.YEAR:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if preset == PeriodPreset.HALF_YEAR:
        first = 1 + 6 * (part - 1)
        return Period(_month_start(year, first), _month_end(year, first + 5))
    if preset == PeriodPreset.QUARTER:
        first = 1 + 3 * (part - 1)
        return Period(_month_start(year, first), _month_end(year, first + 2))
    raise ValueError(f"no fixed dates for preset {preset!r}")


def previous_quarter(today: datetime.date) -> Period:
    quarter = (today.month - 1) // 3 + 1
    year = today.year
    if quarter == 1:
        year, quarter = year - 1, 4
    else:
        quarter -= 1
    first = 1 + 3 * (quarter - 1)
    return Period(_month_start(year, first), _month_end(year, first + 2))
