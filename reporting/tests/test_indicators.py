import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.tests.factories import CompanyFactory
from innoscheck.workflow import Status
from programme.choices import Topic
from reporting import indicators, selectors
from reporting.indicators import Range

from .conftest import Q1, Q2
from .factories import at, voucher

pytestmark = pytest.mark.django_db


def test_company_with_coaching_and_voucher_counts_once_in_rco01_and_once_each_in_rco02_and_rco04(programme):
    figures = indicators.enterprise_indicators(phase=programme, period=Q1)
    assert figures["supported"] == 2  # Alpha (coaching + voucher) and Beta (voucher)
    assert figures["grants"] == 2
    assert figures["non_financial"] == 1
    assert figures["micro"] == 1 and figures["small"] == 1 and figures["medium"] == 0
    assert figures["new"] == 1  # Alpha, founded 2023


def test_rejected_vouchers_and_planned_sessions_do_not_count(programme):
    names = {row["name"] for row in indicators.supported_companies_annex(phase=programme, period=Q1)}
    assert names == {"Alpha Frästechnik GmbH", "Beta Metallbau GmbH"}


def test_voucher_approved_in_one_period_and_paid_in_the_next(programme):
    q1 = indicators.voucher_totals(phase=programme, period=Q1)
    q2 = indicators.voucher_totals(phase=programme, period=Q2)
    assert (q1["submitted"], q1["approved"], q1["rejected"], q1["paid"]) == (3, 2, 1, 0)
    assert q1["approved_amount"] == Decimal("12500.00")
    assert (q2["submitted"], q2["approved"], q2["paid"]) == (0, 0, 1)
    assert q2["paid_amount"] == Decimal("7500.00")
    assert indicators.enterprise_indicators(phase=programme, period=Q2)["grants"] == 0


def test_q2_support_is_events_and_projects_and_cumulative_counts_each_company_once(programme):
    q2 = indicators.enterprise_indicators(phase=programme, period=Q2)
    assert (q2["supported"], q2["grants"], q2["non_financial"]) == (2, 0, 2)
    cumulative = indicators.enterprise_indicators(
        phase=programme, period=indicators.cumulative_range(phase=programme, period=Q2)
    )
    assert (cumulative["supported"], cumulative["grants"], cumulative["non_financial"]) == (4, 2, 3)


def test_person_at_two_events_counts_once(programme):
    q2 = indicators.coaching_figures(period=Q2)
    assert q2["people_reached"] == 2  # Paula (two events) and Gerd
    assert q2["events"] == 2 and q2["event_registrations"] == 4 and q2["event_participants"] == 3
    assert q2["projects"] == 1 and q2["project_companies"] == 1
    cumulative = indicators.coaching_figures(period=Range(programme.start, Q2.end))
    assert cumulative["people_reached"] == 3  # Paula came to the Q1 session too
    assert cumulative["sessions_held"] == 1


def test_a_project_counts_in_the_range_it_was_started_or_met_in_with_each_company_once(programme):
    from coaching.models import Project, ProjectMeeting
    from coaching.tests.factories import ProjectFactory

    old, fresh, elsewhere = CompanyFactory(), CompanyFactory(), CompanyFactory()
    # Started in Q1, met in Q2: counts in both; started in Q2 without a meeting: Q2 only; started in Q1
    # and met in Q3: Q1 only. ``old`` takes part in two of them and counts once.
    met_later, started, quiet = ProjectFactory(), ProjectFactory(), ProjectFactory()
    met_later.companies.add(old)
    started.companies.add(old, fresh)
    quiet.companies.add(elsewhere)
    Project.objects.filter(pk__in=[met_later.pk, quiet.pk]).update(created_at=at(2026, 2, 2))
    Project.objects.filter(pk=started.pk).update(created_at=at(2026, 6, 30, 23))
    ProjectMeeting.objects.create(project=met_later, starts_at=at(2026, 4, 1, 0))
    ProjectMeeting.objects.create(project=quiet, starts_at=at(2026, 7, 1, 0))
    Project.objects.exclude(pk__in=[met_later.pk, started.pk, quiet.pk]).delete()

    q1, q2 = (indicators.coaching_figures(period=period) for period in (Q1, Q2))
    assert (q1["projects"], q1["project_companies"]) == (2, 2)
    assert (q2["projects"], q2["project_companies"]) == (2, 2)
    both = indicators.coaching_figures(period=Range(Q1.start, Q2.end))
    assert (both["projects"], both["project_companies"]) == (3, 3)


def test_breakdowns_by_topic_city_and_partner(programme):
    by_city = {row["key"]: row for row in indicators.voucher_breakdown(phase=programme, period=Q1, by="city")}
    assert by_city["Dortmund"]["approved"] == 1 and by_city["Dortmund"]["rejected"] == 1
    assert by_city["Bochum"]["approved"] == 1
    by_topic = indicators.voucher_breakdown(phase=programme, period=Q1, by="topic")
    assert [(row["key"], row["submitted"], row["approved"]) for row in by_topic] == [(Topic.IT_SECURITY, 3, 2)]
    by_partner = indicators.voucher_breakdown(phase=programme, period=Q1, by="partner")
    assert sum(row["submitted"] for row in by_partner) == 3


@pytest.mark.parametrize("period", [Q1, Q2, Range(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))])
def test_the_grouped_voucher_figures_add_up_to_the_totals_and_each_breakdown(programme, period):
    """The dashboard reads totals and breakdowns from one grouped query; they equal the separate sums."""
    figures = indicators.voucher_figures(phase=programme, period=period)
    assert figures["totals"] == indicators.voucher_totals(phase=programme, period=period)
    for by in ("topic", "city", "partner"):
        for key in figures["totals"]:
            assert sum(row[key] for row in figures[by]) == figures["totals"][key], (by, key)


def test_cities_are_ordered_as_a_german_reader_expects():
    cities = ["Witten", "ünna", "Bochum", None, "Ahlen", "Ärzteweg"]
    assert sorted(cities, key=indicators._sort_key) == [None, "Ahlen", "Ärzteweg", "Bochum", "ünna", "Witten"]


def test_median_days_from_submission_to_decision(programme):
    assert indicators.median_decision_days(phase=programme, period=Q1) == Decimal("14.0")
    assert indicators.median_decision_days(phase=programme, period=Q2) is None


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(programme):
    voucher(
        company=CompanyFactory(),
        phase=programme,
        status=Status.REJECTED,
        submitted=at(2026, 1, 5),
        decided=at(2026, 2, 4),
    )
    assert indicators.median_decision_days(phase=programme, period=Q1) == Decimal("16.5")


def test_budget_reserved_paid_free_and_forecast(programme):
    budget = indicators.budget_status(phase=programme, as_of=Q2.end)
    assert budget["reserved"] == Decimal("5000.00")
    assert budget["paid"] == Decimal("7500.00")
    assert budget["free"] == Decimal("87500.00")
    elapsed = (Q2.end - programme.start).days + 1
    duration = (programme.end - programme.start).days + 1
    assert budget["forecast_committed"] == (Decimal("12500.00") * duration / elapsed).quantize(Decimal("0.01"))
    before_payment = indicators.budget_status(phase=programme, as_of=Q1.end)
    assert before_payment["paid"] == 0


def test_burndown_falls_with_each_month_of_commitments(programme):
    points = indicators.budget_burndown(phase=programme, as_of=Q2.end)
    assert points[0] == (programme.start, Decimal("100000.00"))
    assert [free for _month, free in points[1:]] == [Decimal("95000.00"), Decimal("87500.00")]
    assert points[1][0] == datetime.date(2026, 2, 1)


def test_burndown_months_are_local_and_a_withdrawal_frees_its_month(programme):
    # Approved half an hour into 1 May in Berlin (still 30 April in UTC), withdrawn on 10 June.
    voucher(
        company=CompanyFactory(),
        phase=programme,
        status=Status.CANCELLED,
        submitted=at(2026, 4, 20),
        decided=at(2026, 5, 1, 0).replace(minute=30),
        withdrawn=at(2026, 6, 10),
        amount=Decimal("1000.00"),
    )
    points = dict(indicators.budget_burndown(phase=programme, as_of=Q2.end))
    assert points[datetime.date(2026, 5, 1)] == Decimal("86500.00")
    assert points[datetime.date(2026, 6, 1)] == Decimal("87500.00")
    assert datetime.date(2026, 4, 1) not in points


def test_indicator_table_has_both_codings(programme):
    rows = {row.key: row for row in indicators.indicator_table(phase=programme, period=Q2)}
    assert (rows["supported"].code_2021, rows["supported"].code_2014) == ("RCO01", "CO01")
    assert (rows["grants"].code_2021, rows["grants"].code_2014) == ("RCO02", "CO02")
    assert (rows["non_financial"].code_2021, rows["non_financial"].code_2014) == ("RCO04", "CO04")
    assert (rows["new"].code_2021, rows["new"].code_2014) == ("RCO05", "CO05")
    assert (rows["supported"].period, rows["supported"].cumulative) == (2, 4)


def test_supported_by_city(programme):
    assert indicators.supported_by_city(phase=programme, period=Q2) == [{"city": "Hagen", "companies": 2}]


def test_dashboard_data_uses_a_fixed_number_of_queries(programme):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.dashboard_data(phase=programme, period=Q1)
        return len(queries)

    before = count()
    for number in range(20):
        voucher(
            company=CompanyFactory(),
            phase=programme,
            status=Status.APPROVED,
            submitted=at(2026, 1, 10),
            decided=at(2026, 1, 10 + number % 15),
        )
    assert count() == before


@pytest.mark.parametrize("which", ["q1", "q2", "phase"])
def test_the_dashboard_page_shows_the_figures_of_the_report_in_four_queries(programme, which):
    period = {"q1": Q1, "q2": Q2, "phase": Range(programme.start, programme.end)}[which]
    with CaptureQueriesContext(connection) as queries:
        page = selectors.dashboard_page_data(phase=programme, period=period)
    report = selectors.dashboard_data(phase=programme, period=period)
    assert len(queries) <= 4
    shown = set(page) - {"collected_at"}
    assert shown == {
        "phase",
        "period",
        "cumulative",
        "indicators",
        "coaching",
        "vouchers",
        "median_days",
        "as_of",
        "budget",
    }
    assert {key: page[key] for key in shown} == {key: report[key] for key in shown}
    assert page["vouchers"]["submitted"] or page["coaching"]["events"]  # the fixture has figures in each period


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6])
def test_the_median_decision_time_is_the_middle_one_or_the_mean_of_the_middle_two(count):
    import statistics

    from programme.tests.factories import FundingPhaseFactory

    phase = FundingPhaseFactory(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    hours = [75, 26, 100, 30, 125, 222][:count]  # decided that many hours after submission
    for number, taken in enumerate(hours):
        submitted = at(2026, 3, 1 + number)
        voucher(
            company=CompanyFactory(),
            phase=phase,
            status=Status.REJECTED,
            submitted=submitted,
            decided=submitted + datetime.timedelta(hours=taken),
        )
    expected = (Decimal(statistics.median(hours)) / Decimal(24)).quantize(Decimal("0.1"))
    assert indicators.median_decision_days(phase=phase, period=Range(phase.start, phase.end)) == expected
    assert indicators.median_decision_days(phase=phase, period=Range(phase.start, datetime.date(2026, 2, 28))) is None
