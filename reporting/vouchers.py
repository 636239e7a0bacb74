"""The maintained voucher figures: per phase and day what the vouchers' dated steps add (``VoucherDay``).

The indicator dashboard reads a range's voucher figures and the budget at the end of a day as one sum
over the phase's days (at most a few hundred rows) instead of a pass over every voucher of the phase.

Every step of the voucher workflow publishes ``"voucher.<step>"``; the subscriber (reporting.facts)
calls ``sync``, which rewrites that voucher's ``VoucherEntry`` rows from its dated fields in the same
transaction and adds the difference to its days (an increment, so concurrent steps on the same day
add up). ``rebuild`` writes every entry and day anew (``manage.py rebuild_indicators``).

The rule is that of ``indicators.voucher_totals`` and ``indicators.budget_status``, which compute the
same figures from the vouchers themselves (the report, the exports and the API read those): a voucher
counts in the range of each of its dated steps, and its amount is reserved from the day of its approval
until the day its grant was withdrawn or paid. ``reporting/tests/test_vouchers.py`` checks with random
sequences of steps that both always agree and that a rebuild writes the same days.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from digitalfabrik.dates import as_date
from innoscheck.models import Application
from innoscheck.workflow import Status

from . import indicators
from .indicators import VOUCHER_FIGURES, ZERO, Range
from .models import VoucherDay, VoucherEntry

COUNTS = ("submitted", "approved", "rejected", "withdrawn", "paid")
FIGURES = (*COUNTS, "approved_amount", "released_amount", "paid_amount", "reserved_change")
# What a voucher's figures are made of: its phase, dated steps, status and amounts.
_SOURCE = (
    "pk",
    "phase_id",
    "status",
    "submitted_at",
    "decided_at",
    "approved_at",
    "grant_withdrawn_at",
    "paid_at",
    "approved_amount",
    "verified_amount",
)


def entries_of(voucher: dict) -> dict[datetime.date, dict]:
    """What one voucher (its ``_SOURCE`` values) adds to each day, in the programme's time zone."""
    days: dict[datetime.date, dict] = {}

    zone = timezone.get_default_timezone()  # the programme's, whatever a request may have activated

    def add(moment: datetime.datetime, **figures) -> None:
        empty = {name: 0 if name in COUNTS else ZERO for name in FIGURES}
        day = days.setdefault(timezone.localdate(moment, zone), empty)
        for name, value in figures.items():
            day[name] += value

    amount = voucher["approved_amount"] or ZERO
    if voucher["submitted_at"]:
        add(voucher["submitted_at"], submitted=1)
    if voucher["approved_at"]:
        add(voucher["approved_at"], approved=1, approved_amount=amount, reserved_change=amount)
        ends = [moment for moment in (voucher["grant_withdrawn_at"], voucher["paid_at"]) if moment]
        if ends:
            add(min(ends), reserved_change=-amount)
    elif voucher["decided_at"] and voucher["status"] == Status.REJECTED:
        add(voucher["decided_at"], rejected=1)
    if voucher["grant_withdrawn_at"]:
        add(voucher["grant_withdrawn_at"], withdrawn=1, released_amount=amount)
    if voucher["paid_at"]:
        add(voucher["paid_at"], paid=1, paid_amount=voucher["verified_amount"] or ZERO)
    return days


def _entries(voucher: dict) -> list[VoucherEntry]:
    return [
        VoucherEntry(application_id=voucher["pk"], phase_id=voucher["phase_id"], day=day, **figures)
        for day, figures in sorted(entries_of(voucher).items())
    ]


def _sums(rows) -> dict[tuple[int, datetime.date], dict]:
    sums: dict[tuple[int, datetime.date], dict] = {}
    for row in rows:
        figures = sums.setdefault((row["phase_id"], row["day"]), dict.fromkeys(FIGURES, 0))
        for name in FIGURES:
            figures[name] += row[name]
    return sums


def sync(application_id: int) -> None:
    """Rewrite one voucher's entries from its current row and add the difference to its days."""
    entries = VoucherEntry.objects.filter(application_id=application_id)
    before = _sums(entries.values("phase_id", "day", *FIGURES))
    entries.delete()
    voucher = Application.objects.filter(pk=application_id).values(*_SOURCE).first()
    written = VoucherEntry.objects.bulk_create(_entries(voucher) if voucher else [])
    after = _sums(
        {"phase_id": entry.phase_id, "day": entry.day, **{name: getattr(entry, name) for name in FIGURES}}
        for entry in written
    )
    _add_to_days(after, before)


# Increments commute: two steps on the same day each add their own difference (the row lock orders them).
_ADD_TO_DAY = f"""
    INSERT INTO reporting_voucherday (phase_id, day, {", ".join(FIGURES)})
    VALUES (%s, %s, {", ".join(["%s"] * len(FIGURES))})
    ON CONFLICT (phase_id, day) DO UPDATE SET {
    ", ".join(f"{name} = reporting_voucherday.{name} + excluded.{name}" for name in FIGURES)
}"""  # noqa: S608 - fixed column names


def _add_to_days(after: dict, before: dict) -> None:
    changes = []
    for key in sorted(after.keys() | before.keys()):  # in key order: two steps never wait crosswise
        new, old = after.get(key, {}), before.get(key, {})
        change = [new.get(name, 0) - old.get(name, 0) for name in FIGURES]
        if any(change):
            changes.append((*key, *change))
    if changes:
        with connection.cursor() as cursor:
            cursor.executemany(_ADD_TO_DAY, changes)


def rebuild() -> int:
    """Every voucher's entries anew and the days summed from them; returns how many days there are."""
    VoucherEntry.objects.all().delete()
    VoucherDay.objects.all().delete()
    vouchers = Application.objects.values(*_SOURCE).order_by("pk")
    batch: list[VoucherEntry] = []
    for voucher in vouchers.iterator(chunk_size=5000):
        batch += _entries(voucher)
        if len(batch) >= 5000:
            VoucherEntry.objects.bulk_create(batch)
            batch = []
    VoucherEntry.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reporting_voucherday (phase_id, day, {', '.join(FIGURES)}) "  # noqa: S608 - fixed names
            f"SELECT phase_id, day, {', '.join(f'sum({name})' for name in FIGURES)} "
            "FROM reporting_voucherentry GROUP BY phase_id, day"
        )
    return VoucherDay.objects.count()


# Ranges' voucher figures ("r0_" stands for a range's parameters) and the budget at the end of a day,
# summed over the phase's days.
_RANGE_SUMS = ", ".join(
    f"sum({name}) FILTER (WHERE day BETWEEN %(r0_start)s AND %(r0_end)s)" for name in VOUCHER_FIGURES
)
_BUDGET_SUMS = "sum(reserved_change) FILTER (WHERE day <= %(as_of)s), sum(paid_amount) FILTER (WHERE day <= %(as_of)s)"


def totals_and_budget(*, phase, periods: list[Range], as_of: datetime.date) -> tuple[list[dict], dict]:
    """``indicators.voucher_totals`` of each period and ``indicators.budget_status`` at the end of
    ``as_of``, summed over the phase's days (one query)."""
    columns, params = [], {"phase": phase.pk, "as_of": as_of}
    for n, period in enumerate(periods):
        columns.append(_RANGE_SUMS.replace("r0_", f"r{n}_"))
        params |= {f"r{n}_start": period.start, f"r{n}_end": period.end}
    sql = f"SELECT {', '.join(columns)}, {_BUDGET_SUMS} FROM reporting_voucherday WHERE phase_id = %(phase)s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        *sums, reserved, paid = cursor.fetchone()
    width = len(VOUCHER_FIGURES)
    totals = [
        indicators.voucher_values(dict(zip(VOUCHER_FIGURES, sums[n * width : (n + 1) * width], strict=True)))
        for n in range(len(periods))
    ]
    return totals, indicators.budget_of(phase=phase, as_of=as_of, reserved=reserved, paid=paid)


def burndown(*, phase, as_of: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """``indicators.budget_burndown`` summed over the phase's days (one query): the free voucher budget
    at the end of each month in which what was reserved or paid changed, from the phase start."""
    months = (
        VoucherDay.objects.filter(phase=phase, day__lte=as_of)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(committed=Sum(F("reserved_change") + F("paid_amount")))
        .order_by("month")
    )
    changes = {as_date(row["month"]): -indicators.money(row["committed"] or 0) for row in months}
    return indicators.burndown_points(phase=phase, changes=changes)
