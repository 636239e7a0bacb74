"""The programme's indicators: every figure in screens, exports and PDF reports comes from here.

Each function takes a funding phase and a date range (both ends inclusive) and computes its figures
in SQL with a fixed number of queries. "Cumulative" means the same function with the range starting
at the phase's start.

A company counts as supported in a range when, within it,
- a voucher of the phase was approved for it (grant: RCO02/CO02), or
- a coaching session with it was held, it attended an event, or a project it takes part in met or was
  started (non-financial support: RCO04/CO04).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.choices import SessionStatus
from coaching.models import Event, EventRegistration, Project, ProjectMeeting, Session
from coaching.selectors import people_reached as coaching_people_reached
from companies.models import Company
from innoscheck.models import Application
from innoscheck.workflow import Status
from programme.choices import SizeClass, Topic

# A voucher that was approved and has not been withdrawn from the company since.
GRANTED = (Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED, Status.PAID)
# Approved amounts still bound to vouchers that are not paid yet.
RESERVED = (Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED)
DECIDED = (*GRANTED, Status.REJECTED)
# Founded fewer than this many years before the first support: a "new enterprise" (RCO05/CO05).
NEW_ENTERPRISE_YEARS = 5
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Range:
    start: datetime.date
    end: datetime.date


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _during(field: str, period: Range) -> Q:
    """``field``'s local date lies in ``period``, as a plain timestamp range (an index can serve it; no
    time-zone conversion per row as with ``__date__range``)."""
    return Q(**{f"{field}__gte": _day_start(period.start), f"{field}__lt": _day_start(period.end + ONE_DAY)})


def _until(field: str, day: datetime.date) -> Q:
    """``field``'s local date is ``day`` or earlier."""
    return Q(**{f"{field}__lt": _day_start(day + ONE_DAY)})


def _support_sources(*, phase, period: Range, young: bool = False) -> tuple[list[QuerySet], list[QuerySet]]:
    """Company ids with support in ``period`` (grants, non-financial), as uncorrelated subqueries.

    ``young``: only support given while the company was under NEW_ENTERPRISE_YEARS years old. Plain
    ``IN (subquery)`` lets PostgreSQL hash each list once instead of probing per company.
    """

    def young_at(queryset: QuerySet, date_field: str, founded: str) -> QuerySet:
        if not young:
            return queryset
        # The second condition follows from the first (the support lies in the period); as a plain
        # comparison it lets PostgreSQL drop the many older companies before joining.
        return queryset.filter(
            **{
                f"{date_field}__year__lt": F(founded) + NEW_ENTERPRISE_YEARS,
                f"{founded}__gt": period.start.year - NEW_ENTERPRISE_YEARS,
            }
        )

    grants = [
        young_at(
            Application.objects.filter(_during("decided_at", period), phase=phase, status__in=GRANTED),
            "decided_at",
            "company__founding_year",
        ).values("company_id")
    ]
    non_financial = [
        young_at(
            Session.objects.filter(_during("starts_at", period), status=SessionStatus.HELD),
            "starts_at",
            "case__company__founding_year",
        ).values("case__company_id"),
        young_at(
            EventRegistration.objects.filter(_during("event__starts_at", period), attended=True, company__isnull=False),
            "event__starts_at",
            "company__founding_year",
        ).values("company_id"),
        young_at(
            ProjectMeeting.objects.filter(_during("starts_at", period)),
            "starts_at",
            "project__companies__founding_year",
        ).values("project__companies"),
        young_at(
            Project.objects.filter(_during("created_at", period)), "created_at", "companies__founding_year"
        ).values("companies"),
    ]
    return grants, non_financial


def _any_of(subqueries: list[QuerySet]) -> Q:
    condition = Q(pk__in=subqueries[0])
    for subquery in subqueries[1:]:
        condition |= Q(pk__in=subquery)
    return condition


def _flagged_companies(*, phase, period: Range) -> QuerySet[Company]:
    """Every company, flagged by the kinds of support it had in ``period``."""
    grants, non_financial = _support_sources(phase=phase, period=period)
    return Company.objects.annotate(
        has_grant=ExpressionWrapper(_any_of(grants), output_field=BooleanField()),
        has_non_financial=ExpressionWrapper(_any_of(non_financial), output_field=BooleanField()),
    )


SUPPORTED = Q(has_grant=True) | Q(has_non_financial=True)


def _supported_companies(*, phase, period: Range) -> QuerySet[Company]:
    """Companies supported in ``period``, each once, flagged by kind of support."""
    return _flagged_companies(phase=phase, period=period).filter(SUPPORTED)


def enterprise_indicators(*, phase, period: Range) -> dict[str, int]:
    """RCO01/CO01 and what it is made of, each company once (one query)."""
    young_grants, young_non_financial = _support_sources(phase=phase, period=period, young=True)
    # No WHERE on the flags: PostgreSQL would build each support list twice (in WHERE and in SELECT).
    # distinct() (each company is one row anyway) makes Django select the flags in a subquery, once
    # per company, and count over its columns instead of repeating the flags' subqueries per count.
    figures = (
        _flagged_companies(phase=phase, period=period)
        .annotate(is_new=ExpressionWrapper(_any_of(young_grants + young_non_financial), output_field=BooleanField()))
        .distinct()
        .aggregate(
            supported=Count("pk", filter=SUPPORTED),
            grants=Count("pk", filter=Q(has_grant=True)),
            non_financial=Count("pk", filter=Q(has_non_financial=True)),
            micro=Count("pk", filter=SUPPORTED & Q(size_class=SizeClass.MICRO)),
            small=Count("pk", filter=SUPPORTED & Q(size_class=SizeClass.SMALL)),
            medium=Count("pk", filter=SUPPORTED & Q(size_class=SizeClass.MEDIUM)),
            new=Count("pk", filter=Q(is_new=True)),
        )
    )
    return {key: value or 0 for key, value in figures.items()}


def supported_companies_annex(*, phase, period: Range) -> QuerySet:
    """The annex rows: every supported company once, with its vouchers' aid in the period (one query)."""
    granted_in_period = _during("voucher_applications__decided_at", period) & Q(
        voucher_applications__phase=phase, voucher_applications__status__in=GRANTED
    )
    aid = Sum("voucher_applications__approved_amount", filter=granted_in_period)
    return (
        _supported_companies(phase=phase, period=period)
        .annotate(aid=Coalesce(aid, Value(ZERO), output_field=MONEY))
        .order_by("name", "pk")
        .values(
            "pk",
            "name",
            "city",
            "size_class",
            "founding_year",
            "has_grant",
            "has_non_financial",
            "aid",
        )
    )


def coaching_figures(*, period: Range) -> dict[str, int]:
    """Sessions held, events with registrations and participants, projects and people reached (4 queries)."""
    sessions = Session.objects.filter(_during("starts_at", period), status=SessionStatus.HELD).aggregate(
        held=Count("pk"), companies=Count("case__company", distinct=True)
    )
    events = Event.objects.filter(_during("starts_at", period)).aggregate(
        held=Count("pk", distinct=True),
        registered=Count("registrations", distinct=True),
        attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
    )
    projects = Project.objects.filter(_during("created_at", period) | _during("meetings__starts_at", period)).aggregate(
        count=Count("pk", distinct=True), participants=Count("companies", distinct=True)
    )
    return {
        "sessions_held": sessions["held"],
        "companies_coached": sessions["companies"],
        "events": events["held"],
        "event_registrations": events["registered"],
        "event_participants": events["attended"],
        "projects": projects["count"],
        "project_companies": projects["participants"],
        "people_reached": coaching_people_reached(start=period.start, end=period.end),
    }


VOUCHER_GROUPINGS = {
    "topic": "topic",
    "city": "company__city",
    "partner": "partner__short_name",
}


def _voucher_counts(period: Range) -> dict:
    decided, paid = _during("decided_at", period), _during("paid_at", period)
    return {
        "submitted": Count("pk", filter=_during("submitted_at", period)),
        "approved": Count("pk", filter=decided & Q(status__in=GRANTED)),
        "rejected": Count("pk", filter=decided & Q(status=Status.REJECTED)),
        "paid": Count("pk", filter=paid & Q(status=Status.PAID)),
        "approved_amount": Coalesce(
            Sum("approved_amount", filter=decided & Q(status__in=GRANTED)),
            Value(ZERO),
            output_field=MONEY,
        ),
        "paid_amount": Coalesce(
            Sum("verified_amount", filter=paid & Q(status=Status.PAID)),
            Value(ZERO),
            output_field=MONEY,
        ),
    }


def voucher_totals(*, phase, period: Range) -> dict:
    """Vouchers submitted / approved / rejected / paid in the period, with amounts (one query)."""
    return Application.objects.filter(phase=phase).aggregate(**_voucher_counts(period))


def voucher_breakdown(*, phase, period: Range, by: str) -> list[dict]:
    """The same counts per topic, city or partner (one query); groups without any activity are left out."""
    group = VOUCHER_GROUPINGS[by]
    counts = _voucher_counts(period)
    rows = (
        Application.objects.filter(phase=phase)
        .values(key=F(group))
        .annotate(**counts)
        .filter(Q(submitted__gt=0) | Q(approved__gt=0) | Q(rejected__gt=0) | Q(paid__gt=0))
        .order_by("key")
    )
    labels = dict(Topic.choices) if by == "topic" else {}
    return [{**row, "label": str(labels.get(row["key"], row["key"] or "–"))} for row in rows]


def median_decision_days(*, phase, period: Range) -> Decimal | None:
    """Median days from submission to decision of the vouchers decided in the period (two queries)."""
    durations = (
        Application.objects.filter(
            _during("decided_at", period), phase=phase, status__in=DECIDED, submitted_at__isnull=False
        )
        .annotate(duration=ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField()))
        .order_by("duration")
        .values_list("duration", flat=True)
    )
    count = durations.count()
    if not count:
        return None
    middle = list(durations[(count - 1) // 2 : count // 2 + 1])
    seconds = sum(value.total_seconds() for value in middle) / len(middle)
    return (Decimal(seconds) / Decimal(86400)).quantize(Decimal("0.1"))


def budget_status(*, phase, as_of: datetime.date) -> dict:
    """Voucher budget of the phase: reserved, paid and free on ``as_of``, and a linear forecast (one query)."""
    figures = Application.objects.filter(phase=phase).aggregate(
        reserved=Coalesce(
            Sum("approved_amount", filter=_until("decided_at", as_of) & Q(status__in=RESERVED)),
            Value(ZERO),
            output_field=MONEY,
        ),
        paid=Coalesce(
            Sum("verified_amount", filter=_until("paid_at", as_of) & Q(status=Status.PAID)),
            Value(ZERO),
            output_field=MONEY,
        ),
    )
    total = phase.voucher_budget
    committed = figures["reserved"] + figures["paid"]
    elapsed = (min(as_of, phase.end) - phase.start).days + 1
    duration = (phase.end - phase.start).days + 1
    forecast = (committed * duration / elapsed).quantize(Decimal("0.01")) if elapsed > 0 else ZERO
    return {
        "total_budget": phase.total_budget,
        "voucher_budget": total,
        "reserved": figures["reserved"],
        "paid": figures["paid"],
        "free": total - committed,
        "committed_share": (committed * 100 / total).quantize(Decimal("0.1")) if total else ZERO,
        "forecast_committed": forecast,
        "forecast_share": (forecast * 100 / total).quantize(Decimal("0.1")) if total else ZERO,
    }


def budget_burndown(*, phase, as_of: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """Free voucher budget at the end of each month with commitments, from the phase start (one query)."""
    months = (
        Application.objects.filter(_until("decided_at", as_of), phase=phase, status__in=GRANTED)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(amount=Sum(Coalesce("verified_amount", "approved_amount")))
        .order_by("month")
    )
    free = phase.voucher_budget
    points = [(phase.start, free)]
    for row in months:
        free -= row["amount"]
        month = row["month"]
        points.append((month.date() if isinstance(month, datetime.datetime) else month, free))
    return points


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    code_2021: str
    code_2014: str
    label: str
    period: int
    cumulative: int


ENTERPRISE_ROWS = [
    ("supported", "RCO01", "CO01", _("Enterprises supported")),
    ("grants", "RCO02", "CO02", _("… of which supported by grants (vouchers)")),
    ("non_financial", "RCO04", "CO04", _("… of which with non-financial support (coaching, projects, events)")),
    ("micro", "RCO01", "CO01", _("… of which micro enterprises")),
    ("small", "RCO01", "CO01", _("… of which small enterprises")),
    ("medium", "RCO01", "CO01", _("… of which medium-sized enterprises")),
    ("new", "RCO05", "CO05", _("New enterprises supported (under 5 years old)")),
]


def indicator_table(*, phase, period: Range) -> list[IndicatorRow]:
    """The output indicators for the period and cumulatively since the phase began (two queries)."""
    current = enterprise_indicators(phase=phase, period=period)
    cumulative = enterprise_indicators(phase=phase, period=cumulative_range(phase=phase, period=period))
    return [
        IndicatorRow(key, code_2021, code_2014, str(label), current[key], cumulative[key])
        for key, code_2021, code_2014, label in ENTERPRISE_ROWS
    ]


def cumulative_range(*, phase, period: Range) -> Range:
    return Range(min(phase.start, period.start), period.end)


def supported_by_city(*, phase, period: Range) -> list[dict]:
    """Supported companies per city (one query)."""
    return list(
        _supported_companies(phase=phase, period=period)
        .values("city")
        .annotate(companies=Count("pk"))
        .order_by("-companies", "city")
    )
