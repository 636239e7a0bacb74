"""The programme's indicators: every figure in screens, exports and PDF reports comes from here.

Each function takes a funding phase and a date range (both ends inclusive) and computes its figures
in SQL with a fixed number of queries. "Cumulative" means the same function with the range starting
at the phase's start. ``figure_rows`` lists every figure of a period as (code, label, value) rows: the
dashboard, the PDF tables and the CSV/XLSX exports all show those rows.

Figures count dated events, each in its own period, so a period's figures never change afterwards:
- a grant counts in the period of its approval (``approved_at``) whatever happens to it later; a
  later rejection, cancellation or expiry is its own event (``grant_withdrawn_at``) counted in the
  period it happened in ("grants withdrawn", "amount released");
- a company is counted with its size class, region and city at the time of the support: kept on the
  voucher at approval and on the coaching case at its first held session (events and projects, which
  keep no such snapshot, use the current profile);
- a company counts as supported in a range when, within it, a voucher of the phase was approved for
  it (grant: RCO02/CO02), or a coaching session with it was held, it attended an event, or a project
  it takes part in met or was started (non-financial support: RCO04/CO04);
- new enterprises (RCO05/CO05): companies.founding.is_new_enterprise on the day of the company's first
  support in the phase (first approved voucher or first held session). A company whose founding date
  is not yet confirmed (carried over from the founding year only) is never counted as new; the
  report shows how many supported companies that concerns.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Least, NullIf, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.choices import SessionStatus
from coaching.models import Case, Event, EventRegistration, Project, ProjectMeeting, Session
from coaching.selectors import people_reached as coaching_people_reached
from companies.founding import new_enterprise_q
from companies.models import Company
from innoscheck.models import Application
from innoscheck.workflow import Status
from programme.choices import SizeClass, Topic

# A voucher that was approved and has not been withdrawn from the company since (its current state).
GRANTED = (Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED, Status.PAID)
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


def _after(field: str, day: datetime.date) -> Q:
    """``field`` is empty or its local date is after ``day``."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": _day_start(day + ONE_DAY)})


def _grants(*, phase, period: Range) -> QuerySet[Application]:
    """Vouchers of the phase approved in ``period``, whatever became of them later."""
    return Application.objects.filter(_during("approved_at", period), phase=phase)


def _held_sessions(period: Range) -> QuerySet[Session]:
    return Session.objects.filter(_during("starts_at", period), status=SessionStatus.HELD)


def _support_sources(*, phase, period: Range) -> tuple[list[QuerySet], list[QuerySet]]:
    """Company ids with support in ``period`` (grants, non-financial), as uncorrelated subqueries.

    Plain ``IN (subquery)`` lets PostgreSQL hash each list once instead of probing per company.
    """
    grants = [_grants(phase=phase, period=period).values("company_id")]
    non_financial = [
        _held_sessions(period).values("case__company_id"),
        EventRegistration.objects.filter(
            _during("event__starts_at", period), attended=True, company__isnull=False
        ).values("company_id"),
        ProjectMeeting.objects.filter(_during("starts_at", period)).values("project__companies"),
        Project.objects.filter(_during("created_at", period)).values("companies"),
    ]
    return grants, non_financial


def _any_of(subqueries: list[QuerySet]) -> Q:
    condition = Q(pk__in=subqueries[0])
    for subquery in subqueries[1:]:
        condition |= Q(pk__in=subquery)
    return condition


def _at_support(field: str, *, phase, period: Range):
    """The company's ``field`` (size_class, region or city) at its support in ``period``: the snapshot of
    its first voucher approved in the period, else of its first coaching case with a session held in
    the period, else (events and projects only) its current profile."""
    grant = (
        _grants(phase=phase, period=period)
        .filter(company=OuterRef("pk"))
        .exclude(**{f"support_{field}": ""})
        .order_by("approved_at", "pk")
        .values(f"support_{field}")[:1]
    )
    case = (
        Case.objects.filter(company=OuterRef("pk"), pk__in=_held_sessions(period).values("case_id"))
        .exclude(**{f"support_{field}": ""})
        .order_by("first_held_at", "pk")
        .values(f"support_{field}")[:1]
    )
    return Coalesce(Subquery(grant), Subquery(case), F(field), output_field=CharField())


def _first_support_in_phase(*, phase):
    """The date of the company's first support in the phase: its first approved voucher of the phase or
    its first held session within the phase's dates (the day the "new enterprise" age is taken on)."""
    first_grant = (
        Application.objects.filter(company=OuterRef("pk"), phase=phase, approved_at__isnull=False)
        .values("company")
        .annotate(first=Min("approved_at"))
        .values("first")
    )
    first_session = (
        _held_sessions(Range(phase.start, phase.end))
        .filter(case__company=OuterRef("pk"))
        .values("case__company")
        .annotate(first=Min("starts_at"))
        .values("first")
    )
    return TruncDate(Least(Subquery(first_grant), Subquery(first_session)), tzinfo=timezone.get_current_timezone())


def _flagged_companies(*, phase, period: Range) -> QuerySet[Company]:
    """Every company, flagged by the kinds of support it had in ``period``."""
    grants, non_financial = _support_sources(phase=phase, period=period)
    return Company.objects.annotate(
        has_grant=ExpressionWrapper(_any_of(grants), output_field=BooleanField()),
        has_non_financial=ExpressionWrapper(_any_of(non_financial), output_field=BooleanField()),
    )


SUPPORTED = Q(has_grant=True) | Q(has_non_financial=True)


def _supported_companies(*, phase, period: Range) -> QuerySet[Company]:
    """Companies supported in ``period``, each once, flagged by kind of support and with their size
    class, region and city at the time of the support."""
    return (
        _flagged_companies(phase=phase, period=period)
        .filter(SUPPORTED)
        .annotate(
            size_at_support=_at_support("size_class", phase=phase, period=period),
            city_at_support=_at_support("city", phase=phase, period=period),
        )
    )


def enterprise_indicators(*, phase, period: Range) -> dict[str, int]:
    """RCO01/CO01 and what it is made of, each company once (one query)."""
    figures = (
        _supported_companies(phase=phase, period=period)
        .annotate(first_support=_first_support_in_phase(phase=phase))
        .annotate(
            is_new=ExpressionWrapper(
                new_enterprise_q(founding_date="founding_date", supported_on=F("first_support")),
                output_field=BooleanField(),
            )
        )
        .aggregate(
            supported=Count("pk"),
            grants=Count("pk", filter=Q(has_grant=True)),
            non_financial=Count("pk", filter=Q(has_non_financial=True)),
            micro=Count("pk", filter=Q(size_at_support=SizeClass.MICRO)),
            small=Count("pk", filter=Q(size_at_support=SizeClass.SMALL)),
            medium=Count("pk", filter=Q(size_at_support=SizeClass.MEDIUM)),
            new=Count("pk", filter=Q(is_new=True)),
            founding_unconfirmed=Count("pk", filter=Q(founding_date_confirmed=False)),
        )
    )
    return {key: value or 0 for key, value in figures.items()}


def supported_companies_annex(*, phase, period: Range) -> QuerySet:
    """The annex rows: every supported company once, with the aid of the vouchers approved for it in the
    period (one query). ``city_at_support`` and ``size_at_support`` are the figures' values; ``city`` and
    ``size_class`` the current profile."""
    granted_in_period = _during("voucher_applications__approved_at", period) & Q(voucher_applications__phase=phase)
    aid = Sum("voucher_applications__approved_amount", filter=granted_in_period)
    return (
        _supported_companies(phase=phase, period=period)
        .annotate(
            aid=Coalesce(aid, Value(ZERO), output_field=MONEY),
            founding_year=ExtractYear("founding_date"),
        )
        .order_by("name", "pk")
        .values(
            "pk",
            "name",
            "city",
            "size_class",
            "city_at_support",
            "size_at_support",
            "has_grant",
            "has_non_financial",
            "aid",
            "founding_date",
            "founding_date_confirmed",
            "founding_year",
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
    "topic": F("topic"),
    # The city at approval; for vouchers not approved (yet) the company's current city.
    "city": Coalesce(NullIf(F("support_city"), Value("")), F("company__city")),
    # The partner responsible at submission (kept on the voucher).
    "partner": F("partner__short_name"),
}


def _voucher_counts(period: Range) -> dict:
    approved, withdrawn, paid = (
        _during("approved_at", period),
        _during("grant_withdrawn_at", period),
        _during("paid_at", period),
    )
    # Rejected at the decision (never approved); a rejection after approval is a withdrawn grant.
    rejected = _during("decided_at", period) & Q(status=Status.REJECTED, approved_at__isnull=True)
    return {
        "submitted": Count("pk", filter=_during("submitted_at", period)),
        "approved": Count("pk", filter=approved),
        "rejected": Count("pk", filter=rejected),
        "withdrawn": Count("pk", filter=withdrawn),
        "paid": Count("pk", filter=paid),
        # Before "approved_amount": once that name is an aggregate, Sum("approved_amount") would mean it.
        "released_amount": Coalesce(Sum("approved_amount", filter=withdrawn), Value(ZERO), output_field=MONEY),
        "approved_amount": Coalesce(Sum("approved_amount", filter=approved), Value(ZERO), output_field=MONEY),
        "paid_amount": Coalesce(Sum("verified_amount", filter=paid), Value(ZERO), output_field=MONEY),
    }


def voucher_totals(*, phase, period: Range) -> dict:
    """Vouchers submitted / approved / rejected / withdrawn / paid in the period, with amounts (one query)."""
    return Application.objects.filter(phase=phase).aggregate(**_voucher_counts(period))


def voucher_breakdown(*, phase, period: Range, by: str) -> list[dict]:
    """The same counts per topic, city or partner (one query); groups without any activity are left out."""
    counts = _voucher_counts(period)
    rows = (
        Application.objects.filter(phase=phase)
        .values(key=VOUCHER_GROUPINGS[by])
        .annotate(**counts)
        .filter(Q(submitted__gt=0) | Q(approved__gt=0) | Q(rejected__gt=0) | Q(withdrawn__gt=0) | Q(paid__gt=0))
        .order_by("key")
    )
    labels = dict(Topic.choices) if by == "topic" else {}
    return [{**row, "label": str(labels.get(row["key"], row["key"] or "–"))} for row in rows]


def median_decision_days(*, phase, period: Range) -> Decimal | None:
    """Median days from submission to the first decision (approval or rejection) of the vouchers decided
    in the period (two queries); what happened to them afterwards does not matter."""
    durations = (
        Application.objects.filter(_during("decided_at", period), phase=phase, submitted_at__isnull=False)
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
    """Voucher budget of the phase: reserved, paid and free at the end of ``as_of`` from the dated
    events (approved, withdrawn, paid), and a linear forecast (one query)."""
    figures = Application.objects.filter(phase=phase).aggregate(
        reserved=Coalesce(
            Sum(
                "approved_amount",
                filter=_until("approved_at", as_of) & _after("grant_withdrawn_at", as_of) & _after("paid_at", as_of),
            ),
            Value(ZERO),
            output_field=MONEY,
        ),
        paid=Coalesce(Sum("verified_amount", filter=_until("paid_at", as_of)), Value(ZERO), output_field=MONEY),
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


def _monthly(queryset: QuerySet, field: str, amount) -> dict[datetime.date, Decimal]:
    rows = queryset.annotate(month=TruncMonth(field)).values("month").annotate(amount=Sum(amount)).order_by("month")
    return {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row["amount"]
        for row in rows
    }


def budget_burndown(*, phase, as_of: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """Free voucher budget at the end of each month with a budget event, from the phase start (three
    queries): an approval binds its amount, a withdrawal frees it, a payment frees what was not paid."""
    vouchers = Application.objects.filter(phase=phase)
    committed = _monthly(vouchers.filter(_until("approved_at", as_of)), "approved_at", F("approved_amount"))
    released = _monthly(
        vouchers.filter(_until("grant_withdrawn_at", as_of)), "grant_withdrawn_at", F("approved_amount")
    )
    unpaid = _monthly(vouchers.filter(_until("paid_at", as_of)), "paid_at", F("approved_amount") - F("verified_amount"))
    free = phase.voucher_budget
    points = [(phase.start, free)]
    for month in sorted(set(committed) | set(released) | set(unpaid)):
        change = released.get(month, ZERO) + unpaid.get(month, ZERO) - committed.get(month, ZERO)
        if change:
            free += change
            points.append((month, free))
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
    ("new", "RCO05", "CO05", _("New enterprises supported (less than three years old at the first support)")),
    (
        "founding_unconfirmed",
        "",
        "",
        _("… supported enterprises whose founding date is not confirmed (never counted as new)"),
    ),
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
    """Supported companies per city at the time of their support (one query)."""
    rows = (
        _supported_companies(phase=phase, period=period)
        .values("city_at_support")
        .annotate(companies=Count("pk"))
        .order_by("-companies", "city_at_support")
    )
    return [{"city": row["city_at_support"], "companies": row["companies"]} for row in rows]


@dataclass(frozen=True)
class FigureRow:
    """One figure of a period: the dashboard, the PDF's figure tables and the CSV/XLSX exports show these.

    ``code`` is the ERDF code (RCO…/CO…) where the figure has one, else the programme's own code;
    ``cumulative`` is None for figures that are a state (the budget) rather than a count of events.
    """

    section: str
    code: str
    code_2014: str
    key: str
    label: str
    value: int | Decimal | None
    cumulative: int | Decimal | None


COACHING_ROWS = [
    ("sessions_held", "P-SES", _("Coaching sessions held")),
    ("companies_coached", "P-COA", _("Companies coached")),
    ("people_reached", "P-PPL", _("People reached (distinct persons)")),
    ("events", "P-EVT", _("Events")),
    ("event_registrations", "P-REG", _("Event registrations")),
    ("event_participants", "P-PAR", _("Event participants")),
    ("projects", "P-PRJ", _("Projects")),
    ("project_companies", "P-PRC", _("Companies in projects")),
]
VOUCHER_ROWS = [
    ("submitted", "V-SUB", _("Vouchers submitted")),
    ("approved", "V-APP", _("Vouchers approved (grants committed)")),
    ("approved_amount", "V-APA", _("Amount approved (EUR)")),
    ("rejected", "V-REJ", _("Vouchers rejected")),
    ("withdrawn", "V-WDR", _("Grants withdrawn (rejected after approval, cancelled or expired)")),
    ("released_amount", "V-REL", _("Amount released by withdrawn grants (EUR)")),
    ("paid", "V-PAY", _("Vouchers paid")),
    ("paid_amount", "V-PAA", _("Amount paid (EUR)")),
]
BUDGET_ROWS = [
    ("voucher_budget", "F-BUD", _("Voucher budget of the phase (EUR)")),
    ("reserved", "F-RES", _("Reserved (EUR)")),
    ("paid", "F-PAI", _("Paid (EUR)")),
    ("free", "F-FRE", _("Free (EUR)")),
    ("forecast_committed", "F-FOR", _("Forecast commitments at the end of the phase (EUR)")),
]
SECTIONS = {
    "enterprises": _("Output indicators"),
    "coaching": _("InnovationCoaches"),
    "vouchers": _("InnoScheck.RUHR vouchers"),
    "budget": _("Financial progress"),
}


def figure_rows(*, phase, period: Range) -> list[FigureRow]:
    """Every figure of ``period`` and cumulatively since the phase began, as rows (a fixed number of
    queries). Money as it stands at the end of the period (or today, for a period still running)."""
    cumulative_period = cumulative_range(phase=phase, period=period)
    rows = [
        FigureRow("enterprises", row.code_2021, row.code_2014, row.key, row.label, row.period, row.cumulative)
        for row in indicator_table(phase=phase, period=period)
    ]
    current, total = coaching_figures(period=period), coaching_figures(period=cumulative_period)
    rows += [
        FigureRow("coaching", code, "", key, str(label), current[key], total[key]) for key, code, label in COACHING_ROWS
    ]
    current, total = voucher_totals(phase=phase, period=period), voucher_totals(phase=phase, period=cumulative_period)
    rows += [
        FigureRow("vouchers", code, "", key, str(label), current[key], total[key]) for key, code, label in VOUCHER_ROWS
    ]
    budget = budget_status(phase=phase, as_of=min(period.end, timezone.localdate()))
    rows += [FigureRow("budget", code, "", key, str(label), budget[key], None) for key, code, label in BUDGET_ROWS]
    return rows
