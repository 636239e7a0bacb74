"""A period's figures never change afterwards (issue 10.2): every figure of Q1, then in Q2 a
cancellation, a rejection after approval, an expiry, a company growing from micro to medium and
moving city, a coach reassignment and a profile erasure; Q1's figures and the figure tables of its
PDF report stay exactly the same."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from accounts.privacy import account_erase
from accounts.tests.factories import CoachFactory, FunderFactory, UserFactory
from coaching import services as coaching
from coaching.choices import ContactForm
from coaching.tests.factories import CaseFactory
from companies import services as companies
from companies.tests.factories import CompanyFactory, MembershipFactory
from innoscheck import services as innoscheck
from innoscheck.tests.factories import ApplicationFactory
from innoscheck.workflow import Status
from programme.choices import Region, SizeClass
from programme.tests.factories import FundingPhaseFactory
from reporting import exports, indicators, pdf, selectors
from reporting.indicators import Range
from reporting.models import ReportKind
from reporting.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
Q1 = Range(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
Q2 = Range(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


def on(month: int, day: int, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=BERLIN), tick=False)


def _approve(company, phase, staff, amount="5000.00"):
    application = ApplicationFactory(
        company=company, phase=phase, status=Status.IN_REVIEW, requested_amount=Decimal(amount), with_files=False
    )
    innoscheck.application_approve(application=application, by=staff, amount=Decimal(amount))
    application.refresh_from_db()
    return application


def every_figure(phase, period: Range) -> dict:
    """Every figure the dashboard, the exports and the reports show for ``period``."""
    annex = [
        {key: row[key] for key in ("pk", "name", "city_at_support", "size_at_support", "has_grant", "aid")}
        for row in indicators.supported_companies_annex(phase=phase, period=period)
    ]
    register = [
        (row["voucher_number"], row["approved_at"], row["approved_amount"])
        for row in selectors.deminimis_register(phase=phase, period=period)
    ]
    return {
        "vouchers": indicators.voucher_totals(phase=phase, period=period),
        "by": {
            by: indicators.voucher_breakdown(phase=phase, period=period, by=by) for by in ("topic", "city", "partner")
        },
        "cities": indicators.supported_by_city(phase=phase, period=period),
        "median": indicators.median_decision_days(phase=phase, period=period),
        "budget": indicators.budget_status(phase=phase, as_of=period.end),
        "burndown": indicators.budget_burndown(phase=phase, as_of=period.end),
        "annex": annex,
        "register": register,
        # What the dashboard page and the report, exports and API read (the voucher figures, the budget
        # and its burndown from the maintained days), but the moment they were read.
        "page": _without_moment(selectors.dashboard_page_data(phase=phase, period=period)),
        "dashboard": _without_moment(selectors.dashboard_data(phase=phase, period=period)),
    }


def _without_moment(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "collected_at"}


def figure_tables_text(report) -> str:
    """The PDF report's text without its annex (rendered at one fixed clock: the "generated at" stamp is
    not a figure)."""
    with on(7, 15, 12), translation.override("de"):
        content, _pages = pdf.render_body_pdf(report=report, data=selectors.report_data(report=report))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def annex_and_export(phase) -> dict:
    """Q1's annex of supported companies and its de-minimis register (as the PDF prints them) and the
    supported-companies export: the city and size class at the time of the support, not today's."""
    with translation.override("de"):
        annexes = {
            kind: pdf.annex_parts_html(report=report, data=selectors.report_data(report=report))
            for kind in (ReportKind.INDICATORS, ReportKind.DE_MINIMIS)
            for report in [ReportFactory.build(kind=kind, phase=phase, period_start=Q1.start, period_end=Q1.end)]
        }
        export = [
            [str(value) for value in row]
            for row in exports.rows(dataset="companies", phase=phase, period=Q1, user=FunderFactory())
        ]
    return {"annexes": annexes, "export": export}


@pytest.fixture
def quarter_one(world):
    staff = world.users["staff_lead"]
    phase = FundingPhaseFactory(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2028, 12, 31),
        voucher_validity_months=2,
        voucher_budget=Decimal("100000.00"),
        total_budget=Decimal("200000.00"),
    )
    micro = {"staff_headcount": Decimal("5"), "annual_turnover": Decimal("500000"), "balance_sheet_total": Decimal("1")}
    young = CompanyFactory(name="Anton Jung GmbH", founding_date=datetime.date(2024, 5, 1), **micro)
    revoked = CompanyFactory(name="Berta Widerruf GmbH", city="Bochum", region=Region.BOCHUM)
    expiring = CompanyFactory(name="Carla Ablauf GmbH")
    growing = CompanyFactory(name="Dora Wachstum GmbH", **micro)
    erased = CompanyFactory(name="Emil Löschung GmbH")
    member = MembershipFactory(company=erased, user=UserFactory(first_name="Erika", last_name="Löschbar")).user
    refused = CompanyFactory(name="Fritz Abgelehnt GmbH")
    case = CaseFactory(company=growing, coach=world.users["coach"])
    with on(1, 15):
        expire = _approve(expiring, phase, staff)
    with on(2, 10):
        cancel = _approve(young, phase, staff, "7000.00")
    with on(2, 20):
        coaching.session_record_held(
            case=case,
            by=world.users["coach"],
            starts_at=datetime.datetime(2026, 2, 20, 9, tzinfo=BERLIN),
            duration_hours=Decimal("2"),
            form=ContactForm.ON_SITE,
            participants=[{"name": "Dora Wachs", "email": "dora@wachstum.example"}],
        )
    with on(3, 1):
        revoke = _approve(revoked, phase, staff, "3000.00")
        _approve(erased, phase, staff, "4000.00")
        rejected = ApplicationFactory(company=refused, phase=phase, status=Status.IN_REVIEW, with_files=False)
        innoscheck.application_reject(application=rejected, by=staff, reason="Kein Digitalisierungsbezug")
    return {
        "phase": phase,
        "staff": staff,
        "cancel": cancel,
        "revoke": revoke,
        "expire": expire,
        "growing": growing,
        "case": case,
        "member": member,
    }


def test_q1_figures_stay_the_same_after_what_happens_in_q2(world, quarter_one):
    phase, staff = quarter_one["phase"], quarter_one["staff"]
    with on(4, 1, 8):
        before = every_figure(phase, Q1)
    report = ReportFactory(phase=phase, period_start=Q1.start, period_end=Q1.end, language="de")
    pdf_before = figure_tables_text(report)
    # The financial report's tables and its list of vouchers one by one, as of the end of Q1.
    financial = ReportFactory(
        kind=ReportKind.FINANCIAL, phase=phase, period_start=Q1.start, period_end=Q1.end, language="de"
    )
    financial_before = figure_tables_text(financial)
    assert "Storniert" not in financial_before and "Abgelaufen" not in financial_before
    listed_before = annex_and_export(phase)
    growing = next(row for row in listed_before["export"] if row[0] == "Dora Wachstum GmbH")
    assert growing[2] == "Kleinstunternehmen"
    figures = {row.key: row.period for row in before["dashboard"]["indicators"]}
    assert (figures["supported"], figures["grants"], figures["non_financial"], figures["new"]) == (5, 4, 1, 1)
    assert (figures["micro"], figures["small"]) == (2, 3)

    with on(4, 10):
        innoscheck.application_cancel(application=quarter_one["cancel"], by=staff, reason="Verzicht")
        innoscheck.application_reject(application=quarter_one["revoke"], by=staff, reason="Widerruf nach Prüfung")
        assert innoscheck.vouchers_expire_due() == 1
    with on(5, 5):
        growing = quarter_one["growing"]
        companies.company_update(
            company=growing,
            by=staff,
            **companies.company_profile(growing)
            | {
                "staff_headcount": Decimal("120"),
                "annual_turnover": Decimal("30000000"),
                "city": "Hagen",
                "postcode": "58095",
                "region": Region.HAGEN,
            },
        )
        growing.refresh_from_db()
        assert growing.size_class == SizeClass.MEDIUM
        # A granted company moves too: the annex and the de-minimis register keep the city at approval.
        moving = quarter_one["expire"].company
        companies.company_update(
            company=moving,
            by=staff,
            **companies.company_profile(moving) | {"city": "Hagen", "postcode": "58095", "region": Region.HAGEN},
        )
        coaching.case_assign(case=quarter_one["case"], coach=CoachFactory(), by=staff, note="Urlaubsvertretung")
        account_erase(user=quarter_one["member"])

    with on(7, 1, 8):
        after = every_figure(phase, Q1)
        q2 = indicators.voucher_totals(phase=phase, period=Q2)
    assert after == before
    assert figure_tables_text(report) == pdf_before
    assert figure_tables_text(financial) == financial_before
    assert annex_and_export(phase) == listed_before
    # The withdrawals are events of Q2, on their own lines.
    assert (q2["withdrawn"], q2["released_amount"], q2["approved"]) == (3, Decimal("15000.00"), 0)
    quarter_one["revoke"].refresh_from_db()
    assert quarter_one["revoke"].decided_at.date() == datetime.date(2026, 3, 1)
