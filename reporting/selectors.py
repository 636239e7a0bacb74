"""Reads shared by the reporting screens, exports and PDFs."""

import datetime
from typing import NamedTuple

from django.db.models import Case, CharField, Count, F, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from digitalfabrik.dates import on_days
from innoscheck.models import Application, ApplicationEvent
from innoscheck.workflow import Status

from . import indicators, permissions
from . import vouchers as maintained_vouchers
from .indicators import MONEY, ZERO, Range
from .models import Report, ReportKind


def reports_visible_to(user) -> QuerySet[Report]:
    if not permissions.can_read_reports(user):
        return Report.objects.none()
    return Report.objects.select_related("phase", "requested_by").annotate(download_count=Count("downloads"))


def deminimis_register(*, phase, period: Range) -> QuerySet:
    """Every voucher granted (approved) in the period as de-minimis aid, with its company (one query).

    A grant stays in the register of its period; what became of it later is in ``status``."""
    return (
        Application.objects.filter(phase=phase, approved_at__date__range=(period.start, period.end))
        .order_by("company__name", "approved_at", "pk")
        .values(
            "voucher_number",
            "approved_at",
            "approved_amount",
            "topic",
            "status",
            "company__name",
            # The city at approval: the register's, whatever the company's profile says later.
            "support_city",
            "company__pk",
            # The first decision: for a granted voucher its approval, never overwritten later.
            "decided_at",
        )
    )


def _voucher_list_queryset(*, phase, period: Range) -> QuerySet:
    return Application.objects.filter(phase=phase, voucher_number__isnull=False, approved_at__date__lte=period.end)


def _status_at_end(period: Range):
    """The voucher's status at the end of the period: the last step of its audit trail by then (for records
    without a trail, what its dated fields say)."""
    last_step = (
        ApplicationEvent.objects.filter(on_days("at", end=period.end), application=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("to_state")[:1]
    )
    from_dates = Case(
        When(on_days("paid_at", end=period.end), then=Value(Status.PAID)),
        When(on_days("grant_withdrawn_at", end=period.end), then=F("status")),
        default=Value(Status.APPROVED),
    )
    return Coalesce(Subquery(last_step), from_dates, output_field=CharField())


def voucher_list(*, phase, period: Range) -> list[dict]:
    """Every voucher of the phase approved by the end of the period with its status, payment and amounts
    **as of the end of the period** (one query): a later payment, cancellation or expiry does not change a
    past period's list."""
    paid_by_end = on_days("paid_at", end=period.end)
    rows = (
        _voucher_list_queryset(phase=phase, period=period)
        .annotate(
            status_at_end=_status_at_end(period),
            paid_by_end=Case(When(paid_by_end, then=F("paid_at"))),
            paid_amount_by_end=Case(When(paid_by_end, then=F("verified_amount")), output_field=MONEY),
        )
        .order_by("approved_at", "pk")
        .values(
            "voucher_number",
            "company__name",
            "status_at_end",
            "approved_amount",
            "paid_amount_by_end",
            "submitted_at",
            "approved_at",
            "paid_by_end",
        )
    )
    labels = dict(Status.choices)
    return [{**row, "status_label": str(labels.get(row["status_at_end"], row["status_at_end"]))} for row in rows]


def voucher_list_totals(*, phase, period: Range) -> dict:
    """The sums of the voucher list, as of the end of the period (one query)."""
    return _voucher_list_queryset(phase=phase, period=period).aggregate(
        count=Count("pk"),
        approved_amount=Coalesce(Sum("approved_amount"), Value(ZERO), output_field=MONEY),
        paid_amount=Coalesce(
            Sum("verified_amount", filter=on_days("paid_at", end=period.end)), Value(ZERO), output_field=MONEY
        ),
    )


class _Basis(NamedTuple):
    """What the dashboard page and the report both start from."""

    cumulative: Range
    # The period alone when it is its own cumulative range (it starts with the phase), else both.
    periods: list[Range]
    # Money as it stands at the end of the period, or today for a period still running.
    as_of: datetime.date
    by_city: list[dict]
    enterprises: dict
    enterprises_cumulative: dict


def _basis(*, phase, period: Range) -> _Basis:
    """The cumulative range, the as-of day and the enterprise figures of the period and cumulatively (one
    query where the tallies keep both ranges)."""
    cumulative = indicators.cumulative_range(phase=phase, period=period)
    periods = [period] if cumulative == period else [period, cumulative]
    by_city = indicators.enterprise_by_city_of(phase=phase, periods=periods)
    return _Basis(
        cumulative=cumulative,
        periods=periods,
        as_of=min(period.end, timezone.localdate()),
        by_city=by_city[0],
        enterprises=indicators.enterprise_totals(by_city[0]),
        enterprises_cumulative=indicators.enterprise_totals(by_city[-1]),
    )


def _shown_by_both(*, phase, period: Range, basis: _Basis) -> dict:
    """What the dashboard page and the report both begin with: when, what and the output indicators."""
    return {
        # The moment the figures were read: reports state it, since a running period still changes.
        "collected_at": timezone.now(),
        "phase": phase,
        "period": period,
        "cumulative": basis.cumulative,
        "indicators": indicators.indicator_table(
            phase=phase, period=period, current=basis.enterprises, cumulative=basis.enterprises_cumulative
        ),
    }


def dashboard_data(*, phase, period: Range) -> dict:
    """What the indicator report, the exports and the API show (a fixed number of queries)."""
    basis = _basis(phase=phase, period=period)
    coaching, coaching_cumulative = indicators.coaching_figures_with_cumulative(
        period=period,
        cumulative_period=basis.cumulative,
        enterprises=basis.enterprises,
        enterprises_cumulative=basis.enterprises_cumulative,
        phase=phase,
    )
    # The totals and the budget from the maintained days, as on the page; the breakdowns from the vouchers.
    totals, budget = maintained_vouchers.totals_and_budget(phase=phase, periods=basis.periods, as_of=basis.as_of)
    voucher_figures = indicators.voucher_figures(phase=phase, period=period)
    medians = indicators.median_decision_days_of(phase=phase, periods=basis.periods)
    return {
        **_shown_by_both(phase=phase, period=period, basis=basis),
        "coaching": coaching,
        "coaching_cumulative": coaching_cumulative,
        "vouchers": totals[0],
        "vouchers_cumulative": totals[-1],
        "by_topic": voucher_figures["topic"],
        "by_city": voucher_figures["city"],
        "by_partner": voucher_figures["partner"],
        "companies_by_city": indicators.supported_by_city(phase=phase, period=period, by_city=basis.by_city),
        "median_days": medians[0],
        "median_days_cumulative": medians[-1],
        "as_of": basis.as_of,
        "budget": budget,
        "burndown": maintained_vouchers.burndown(phase=phase, as_of=basis.as_of),
    }


def dashboard_page_data(*, phase, period: Range) -> dict:
    """What the indicator dashboard page shows, and no more (four queries): the output indicators of the
    period and cumulatively, the period's coaching and voucher figures, its median decision time and
    the budget (the voucher figures and the budget summed over the maintained days of reporting.vouchers,
    which equal those the report computes from the vouchers). Its charts read their own data
    (``chart_data``); the report, the exports and the API read everything (``dashboard_data``)."""
    basis = _basis(phase=phase, period=period)
    (vouchers,), budget = maintained_vouchers.totals_and_budget(phase=phase, periods=[period], as_of=basis.as_of)
    return {
        **_shown_by_both(phase=phase, period=period, basis=basis),
        "coaching": indicators.coaching_figures(
            period=period, companies_coached=basis.enterprises["coached"], phase=phase
        ),
        "vouchers": vouchers,
        "median_days": indicators.median_decision_days(phase=phase, period=period),
        "as_of": basis.as_of,
        "budget": budget,
    }


def funder_start_page(*, today: datetime.date | None = None) -> dict:
    """The year so far on the funder's start page: sessions held, people reached and events (one query,
    from the maintained counts, so they are the indicator dashboard's figures for the same days)."""
    today = today or timezone.localdate()
    return indicators.contact_figures(Range(today.replace(month=1, day=1), today))


def report_data(*, report: Report) -> dict:
    """Everything a report shows, read with a fixed number of queries whatever the number of records."""
    period = Range(report.period_start, report.period_end)
    data = dashboard_data(phase=report.phase, period=period)
    if report.kind == ReportKind.FINANCIAL:
        data["voucher_list"] = voucher_list(phase=report.phase, period=period)
        data["voucher_list_totals"] = voucher_list_totals(phase=report.phase, period=period)
    if report.kind == ReportKind.DE_MINIMIS:
        data["register"] = list(deminimis_register(phase=report.phase, period=period))
    else:
        data["annex"] = list(indicators.supported_companies_annex(phase=report.phase, period=period))
    return data


def chart_data(*, name: str, phase, period: Range) -> dict:
    """Only what one chart needs (one query)."""
    if name == "vouchers_by_topic":
        return {"by_topic": indicators.voucher_breakdown(phase=phase, period=period, by="topic")}
    if name == "companies_by_city":
        return {"companies_by_city": indicators.supported_by_city(phase=phase, period=period)}
    as_of = min(period.end, timezone.localdate())
    return {"burndown": maintained_vouchers.burndown(phase=phase, as_of=as_of)}
