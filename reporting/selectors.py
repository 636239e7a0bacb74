"""Reads shared by the reporting screens, exports and PDFs."""

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts import permissions as roles
from innoscheck.models import Application

from . import indicators
from .indicators import Range
from .models import Report, ReportKind


def reports_visible_to(user) -> QuerySet[Report]:
    if not roles.can_view_reports(user):
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
            "company__city",
            "company__pk",
            # The first decision: for a granted voucher its approval, never overwritten later.
            "decided_at",
        )
    )


def dashboard_data(*, phase, period: Range) -> dict:
    """What the indicator dashboard and the indicator report show (a fixed number of queries)."""
    cumulative = indicators.cumulative_range(phase=phase, period=period)
    # Money is reported as it stands at the end of the period, or today for a period still running.
    as_of = min(period.end, timezone.localdate())
    return {
        "phase": phase,
        "period": period,
        "cumulative": cumulative,
        "indicators": indicators.indicator_table(phase=phase, period=period),
        "coaching": indicators.coaching_figures(period=period),
        "coaching_cumulative": indicators.coaching_figures(period=cumulative),
        "vouchers": indicators.voucher_totals(phase=phase, period=period),
        "vouchers_cumulative": indicators.voucher_totals(phase=phase, period=cumulative),
        "by_topic": indicators.voucher_breakdown(phase=phase, period=period, by="topic"),
        "by_city": indicators.voucher_breakdown(phase=phase, period=period, by="city"),
        "by_partner": indicators.voucher_breakdown(phase=phase, period=period, by="partner"),
        "companies_by_city": indicators.supported_by_city(phase=phase, period=period),
        "median_days": indicators.median_decision_days(phase=phase, period=period),
        "budget": indicators.budget_status(phase=phase, as_of=as_of),
        "burndown": indicators.budget_burndown(phase=phase, as_of=as_of),
    }


def report_data(*, report: Report) -> dict:
    """Everything a report shows, read with a fixed number of queries whatever the number of records."""
    period = Range(report.period_start, report.period_end)
    data = dashboard_data(phase=report.phase, period=period)
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
    return {"burndown": indicators.budget_burndown(phase=phase, as_of=min(period.end, timezone.localdate()))}
