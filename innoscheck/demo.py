"""The programme's funding phases: the first (closed) one and the current one."""

import datetime
from decimal import Decimal

from .models import FundingPhase

PHASES = [
    ("Digitale Fabrik 2019–2022", datetime.date(2019, 9, 1), datetime.date(2022, 8, 31), "1680000.00", "700000.00"),
    ("Digitale Fabrik 2025–2028", datetime.date(2025, 9, 1), datetime.date(2028, 8, 31), "1800000.00", "750000.00"),
]


def seed() -> None:
    for name, start, end, total_budget, voucher_budget in PHASES:
        FundingPhase.objects.get_or_create(
            name=name,
            defaults={
                "start": start,
                "end": end,
                "total_budget": Decimal(total_budget),
                "voucher_budget": Decimal(voucher_budget),
            },
        )
