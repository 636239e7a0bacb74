"""The budget invariant: a phase's reserved and paid-out totals equal the sums over its vouchers.

The services keep ``FundingPhase.reserved_amount`` and ``spent_amount`` up to date under a row lock;
this module recomputes both from the vouchers (reserved: approved amounts of vouchers in a reserving
state; spent: verified amounts of paid vouchers) and reports any difference. ``manage.py check_budget``
and the daily beat task ``innoscheck.tasks.check_budget`` call it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.mail import mail_admins
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from programme.models import FundingPhase

from .models import Application
from .workflow import RESERVING, Status

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class BudgetDifference:
    phase_id: int
    phase: str
    stored_reserved: Decimal
    vouchers_reserved: Decimal
    stored_spent: Decimal
    vouchers_spent: Decimal

    def __str__(self):
        return (
            f"{self.phase} (#{self.phase_id}): reserved {self.stored_reserved} stored, {self.vouchers_reserved} "
            f"over its vouchers; paid out {self.stored_spent} stored, {self.vouchers_spent} over its vouchers"
        )


def _sum(field: str, **conditions) -> Coalesce:
    vouchers = (
        Application.objects.filter(phase=OuterRef("pk"), **conditions)
        .values("phase")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(vouchers), Value(ZERO), output_field=MONEY)


def budget_differences() -> list[BudgetDifference]:
    """Every phase whose stored totals differ from the sums over its vouchers (one query)."""
    phases = FundingPhase.objects.annotate(
        vouchers_reserved=_sum("approved_amount", status__in=RESERVING),
        vouchers_spent=_sum("verified_amount", status=Status.PAID),
    ).order_by("start", "pk")
    return [
        BudgetDifference(
            phase.pk,
            phase.name,
            phase.reserved_amount,
            phase.vouchers_reserved,
            phase.spent_amount,
            phase.vouchers_spent,
        )
        for phase in phases
        if (phase.reserved_amount, phase.spent_amount) != (phase.vouchers_reserved, phase.vouchers_spent)
    ]


def budget_check_and_report() -> list[BudgetDifference]:
    """Check every phase; mail the administrators (ADMINS) when a phase's totals are off."""
    differences = budget_differences()
    if differences:
        mail_admins(
            "Voucher budget differs from the vouchers",
            "The stored budget totals of these funding phases differ from the sums over their vouchers:\n\n"
            + "\n".join(f"- {difference}" for difference in differences),
        )
    return differences
