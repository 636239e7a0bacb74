"""The EU SME thresholds (Recommendation 2003/361/EC) at every boundary."""

from decimal import Decimal

import pytest

from companies.sme import is_sme, sme_class
from programme.choices import SizeClass

M = Decimal(1_000_000)
CENT = Decimal("0.01")


def classify(headcount, turnover, balance):
    return sme_class(headcount=Decimal(headcount), turnover=Decimal(turnover), balance_sheet_total=Decimal(balance))


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        # Staff ceilings: fewer than 10 / 50 / 250.
        ("9", 1 * M, 1 * M, SizeClass.MICRO),
        ("9.9", 1 * M, 1 * M, SizeClass.MICRO),
        ("10", 1 * M, 1 * M, SizeClass.SMALL),
        ("49", 1 * M, 1 * M, SizeClass.SMALL),
        ("49.5", 1 * M, 1 * M, SizeClass.SMALL),
        ("50", 1 * M, 1 * M, SizeClass.MEDIUM),
        ("249", 1 * M, 1 * M, SizeClass.MEDIUM),
        ("250", 1 * M, 1 * M, SizeClass.NOT_SME),
        # Micro: turnover or balance at most EUR 2 M.
        ("5", 2 * M, 2 * M, SizeClass.MICRO),
        ("5", 2 * M + CENT, 2 * M + CENT, SizeClass.SMALL),
        ("5", 2 * M + CENT, 2 * M, SizeClass.MICRO),
        ("5", 2 * M, 2 * M + CENT, SizeClass.MICRO),
        # Small: at most EUR 10 M.
        ("20", 10 * M, 10 * M, SizeClass.SMALL),
        ("20", 10 * M + CENT, 10 * M + CENT, SizeClass.MEDIUM),
        ("20", 10 * M + CENT, 10 * M, SizeClass.SMALL),
        ("20", 10 * M, 10 * M + CENT, SizeClass.SMALL),
        ("5", 10 * M, 10 * M, SizeClass.SMALL),
        # Medium: turnover at most EUR 50 M or balance at most EUR 43 M.
        ("100", 50 * M, 43 * M, SizeClass.MEDIUM),
        ("100", 50 * M + CENT, 43 * M + CENT, SizeClass.NOT_SME),
        ("100", 50 * M + CENT, 43 * M, SizeClass.MEDIUM),
        ("100", 50 * M, 43 * M + CENT, SizeClass.MEDIUM),
        ("100", 80 * M, 43 * M, SizeClass.MEDIUM),
        ("100", 50 * M, 90 * M, SizeClass.MEDIUM),
        ("5", 60 * M, 60 * M, SizeClass.NOT_SME),
        # Zero is a (new) micro enterprise.
        ("0", 0, 0, SizeClass.MICRO),
    ],
)
def test_sme_class(headcount, turnover, balance, expected):
    assert classify(headcount, turnover, balance) == expected


def test_either_financial_ceiling_is_enough_but_staff_is_always_required():
    """A company under the staff ceiling needs only one of the two financial figures below its ceiling."""
    assert classify("9", 50 * M, 1 * M) == SizeClass.MICRO
    assert classify("9", 1 * M, 50 * M) == SizeClass.MICRO
    assert classify("10", 1 * M, 1 * M) == SizeClass.SMALL


def test_is_sme():
    assert is_sme(SizeClass.MICRO)
    assert is_sme(SizeClass.MEDIUM)
    assert not is_sme(SizeClass.NOT_SME)
