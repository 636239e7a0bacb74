"""RCO05/CO05 in the figures: the age on the day of the company's first support in the phase."""

import datetime
from decimal import Decimal

import pytest

from coaching.choices import SessionStatus
from coaching.tests.factories import CaseFactory, SessionFactory
from companies.tests.factories import CompanyFactory
from innoscheck.workflow import Status
from programme.tests.factories import FundingPhaseFactory
from reporting import facts, indicators
from reporting.indicators import Range

from .factories import at, voucher

pytestmark = pytest.mark.django_db

MARCH_10 = at(2026, 3, 10)
YEAR = Range(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def phase():
    return FundingPhaseFactory(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2027, 12, 31),
        total_budget=Decimal("100000"),
        voucher_budget=Decimal("50000"),
    )


def _granted(phase, founded, *, confirmed=True, approved=MARCH_10):
    company = CompanyFactory(founding_date=founded, founding_date_confirmed=confirmed)
    voucher(company=company, phase=phase, status=Status.APPROVED, submitted=at(2026, 2, 1), decided=approved)
    return company


def test_exactly_three_years_is_not_new_one_day_less_is(phase):
    _granted(phase, datetime.date(2023, 3, 10))
    facts.rebuild()
    assert indicators.enterprise_indicators(phase=phase, period=YEAR)["new"] == 0
    _granted(phase, datetime.date(2023, 3, 11))
    facts.rebuild()
    assert indicators.enterprise_indicators(phase=phase, period=YEAR)["new"] == 1


def test_the_age_is_taken_at_the_first_support_in_the_phase(phase):
    """A session held while the company was under three years old makes it new, also in a later
    period in which it gets a voucher after its third birthday."""
    company = _granted(phase, datetime.date(2023, 6, 1), approved=at(2026, 9, 1))
    SessionFactory(case=CaseFactory(company=company), status=SessionStatus.HELD, starts_at=at(2026, 5, 31))
    facts.rebuild()
    autumn = Range(datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))
    assert indicators.enterprise_indicators(phase=phase, period=autumn)["new"] == 1


def test_an_unconfirmed_founding_date_is_never_new_and_is_counted_apart(phase):
    _granted(phase, datetime.date(2026, 1, 1), confirmed=False)
    facts.rebuild()
    figures = indicators.enterprise_indicators(phase=phase, period=YEAR)
    assert (figures["supported"], figures["new"], figures["founding_unconfirmed"]) == (1, 0, 1)
