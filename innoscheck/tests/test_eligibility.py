import datetime
from decimal import Decimal

import pytest

from innoscheck.eligibility import check_eligibility, deminimis_window
from innoscheck.models import DeMinimisDeclaration
from innoscheck.workflow import Status
from programme.choices import Region, SizeClass

from .factories import ApplicationFactory, ExpertFactory, aid, approved_application

pytestmark = pytest.mark.django_db

DECISION = datetime.date(2026, 11, 25)


def _rule(application, code, *, decision_date=DECISION, amount=None):
    return check_eligibility(application, decision_date=decision_date, amount=amount).rule(code)


def test_complete_application_passes_every_rule():
    result = check_eligibility(ApplicationFactory(), decision_date=DECISION)
    assert result.passed, result.failed
    assert [rule.code for rule in result.rules] == ["sme", "region", "active_voucher", "amount", "deminimis", "expert"]


@pytest.mark.parametrize("size_class", [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM])
def test_every_sme_class_passes(size_class):
    application = ApplicationFactory(company__size_class=size_class)
    assert _rule(application, "sme").passed


def test_not_an_sme_fails_with_reason():
    rule = _rule(ApplicationFactory(company__size_class=SizeClass.NOT_SME), "sme")
    assert not rule.passed
    assert "not an SME" in rule.reason


def test_sme_boundary_from_profile_figures():
    """249 staff is medium, 250 is not an SME (the class is derived by companies.sme)."""
    from companies.sme import sme_class

    medium = sme_class(headcount=Decimal("249.9"), turnover=Decimal(50_000_000), balance_sheet_total=Decimal(0))
    large = sme_class(headcount=Decimal("250"), turnover=Decimal(1), balance_sheet_total=Decimal(1))
    assert _rule(ApplicationFactory(company__size_class=medium), "sme").passed
    assert not _rule(ApplicationFactory(company__size_class=large), "sme").passed


def test_sme_needs_linked_enterprises_and_confirmation():
    assert not _rule(ApplicationFactory(company__linked_enterprises_included=False), "sme").passed
    assert not _rule(ApplicationFactory(sme_confirmed=False), "sme").passed


def test_region_rule_follows_the_phase_setting():
    application = ApplicationFactory(company__region=Region.HAGEN)
    assert _rule(application, "region").passed
    application.phase.eligible_regions = [Region.DORTMUND, Region.BOCHUM]
    rule = _rule(application, "region")
    assert not rule.passed and "programme region" in rule.reason


def test_active_voucher_limit_boundary():
    application = ApplicationFactory()
    assert _rule(application, "active_voucher").passed
    approved_application(company=application.company, phase=application.phase)
    rule = _rule(application, "active_voucher")
    assert not rule.passed and "1" in rule.reason
    application.phase.max_active_vouchers = 2
    assert _rule(application, "active_voucher").passed


@pytest.mark.parametrize("status", [Status.PAID, Status.EXPIRED, Status.CANCELLED, Status.REJECTED, Status.SUBMITTED])
def test_closed_or_undecided_vouchers_are_not_active(status):
    application = ApplicationFactory()
    ApplicationFactory(company=application.company, phase=application.phase, status=status)
    assert _rule(application, "active_voucher").passed


@pytest.mark.parametrize(
    ("amount", "passed"),
    [(Decimal("9999.99"), True), (Decimal("10000.00"), True), (Decimal("10000.01"), False), (Decimal("0"), False)],
)
def test_amount_cap_boundary(amount, passed):
    assert _rule(ApplicationFactory(), "amount", amount=amount).passed is passed


def test_amount_missing_fails():
    assert not _rule(ApplicationFactory(requested_amount=None), "amount").passed


def test_deminimis_declaration_missing_fails():
    rule = _rule(ApplicationFactory(deminimis_declaration=""), "deminimis")
    assert not rule.passed and "missing" in rule.reason


@pytest.mark.parametrize(
    ("declared", "passed"), [(Decimal("295000.00"), True), (Decimal("295000.01"), False), (Decimal("0"), True)]
)
def test_deminimis_ceiling_300000_since_2024(declared, passed):
    application = ApplicationFactory()
    aid(application, granted_on=datetime.date(2025, 1, 1), amount=declared)
    assert _rule(application, "deminimis", amount=Decimal("5000.00")).passed is passed


def test_deminimis_rolling_three_years_window_edges():
    """Decision 25.11.2026: aid of 25.11.2023 lies outside, aid of 26.11.2023 inside the three years."""
    application = ApplicationFactory()
    aid(application, granted_on=datetime.date(2023, 11, 25), amount=Decimal("296000"))
    assert _rule(application, "deminimis", amount=Decimal("5000")).passed
    aid(application, granted_on=datetime.date(2023, 11, 26), amount=Decimal("295001"))
    rule = _rule(application, "deminimis", amount=Decimal("5000"))
    assert not rule.passed
    assert "300.000,00" in rule.reason or "300,000.00" in rule.reason


def test_deminimis_aid_after_decision_date_not_counted():
    application = ApplicationFactory()
    aid(application, granted_on=DECISION + datetime.timedelta(days=1), amount=Decimal("299000"))
    assert _rule(application, "deminimis", amount=Decimal("5000")).passed


@pytest.mark.parametrize(("declared", "passed"), [(Decimal("195000.00"), True), (Decimal("195000.01"), False)])
def test_deminimis_ceiling_200000_before_2024(declared, passed):
    application = ApplicationFactory()
    aid(application, granted_on=datetime.date(2021, 1, 1), amount=declared)
    assert (
        _rule(application, "deminimis", decision_date=datetime.date(2023, 12, 31), amount=Decimal("5000")).passed
        is passed
    )


def test_before_2024_three_fiscal_years():
    """Decision in 2023: fiscal years 2021–2023 count; 31.12.2020 does not."""
    application = ApplicationFactory()
    aid(application, granted_on=datetime.date(2020, 12, 31), amount=Decimal("199000"))
    assert _rule(application, "deminimis", decision_date=datetime.date(2023, 6, 30), amount=Decimal("5000")).passed
    assert deminimis_window(datetime.date(2023, 6, 30)) == (
        datetime.date(2021, 1, 1),
        datetime.date(2023, 6, 30),
        Decimal("200000.00"),
    )


def test_regime_switches_on_1_january_2024():
    assert deminimis_window(datetime.date(2024, 1, 1))[2] == Decimal("300000.00")
    assert deminimis_window(datetime.date(2023, 12, 31))[2] == Decimal("200000.00")
    assert deminimis_window(datetime.date(2024, 1, 1))[0] == datetime.date(2021, 1, 2)


def test_leap_day_window():
    assert deminimis_window(datetime.date(2028, 2, 29))[0] == datetime.date(2025, 3, 1)


def test_declared_none_ignores_nothing():
    application = ApplicationFactory(deminimis_declaration=DeMinimisDeclaration.NONE)
    assert _rule(application, "deminimis").passed


def test_unconfirmed_expert_fails():
    rule = _rule(ApplicationFactory(expert=ExpertFactory(confirmed=False)), "expert")
    assert not rule.passed and "confirmed" in rule.reason
    assert not _rule(ApplicationFactory(expert=None), "expert").passed
