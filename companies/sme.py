"""EU SME definition (Commission Recommendation 2003/361/EC), as laid down in DOMAIN.md."""

from decimal import Decimal

from programme.choices import SizeClass

# (class, headcount strictly below, turnover at most, balance-sheet total at most)
_THRESHOLDS = (
    (SizeClass.MICRO, Decimal(10), Decimal(2_000_000), Decimal(2_000_000)),
    (SizeClass.SMALL, Decimal(50), Decimal(10_000_000), Decimal(10_000_000)),
    (SizeClass.MEDIUM, Decimal(250), Decimal(50_000_000), Decimal(43_000_000)),
)


def sme_class(*, headcount: Decimal, turnover: Decimal, balance_sheet_total: Decimal) -> SizeClass:
    """The smallest class whose staff ceiling and one of whose financial ceilings the company meets.

    Figures include partner and linked enterprises.
    """
    for size_class, max_staff, max_turnover, max_balance in _THRESHOLDS:
        if Decimal(headcount) < max_staff and (
            Decimal(turnover) <= max_turnover or Decimal(balance_sheet_total) <= max_balance
        ):
            return size_class
    return SizeClass.NOT_SME


def is_sme(size_class: str) -> bool:
    return size_class != SizeClass.NOT_SME
