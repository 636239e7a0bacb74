"""The programme's funding phase."""

import datetime
from decimal import Decimal

from .models import FundingPhase


def seed() -> None:
    FundingPhase.objects.get_or_create(
        name="Digitale Fabrik 2019–2022",
        defaults={
            "start": datetime.date(2019, 9, 1),
            "end": datetime.date(2022, 8, 31),
            "total_budget": Decimal("1680000.00"),
            "voucher_budget": Decimal("700000.00"),
        },
    )
