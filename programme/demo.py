"""Demo partners, their responsibility for places, the granting body and the funding phases. Idempotent."""

import datetime
from decimal import Decimal

from .choices import Region
from .factories import FundingPhaseFactory, PartnerOrganisationFactory, ResponsibilityFactory
from .models import FundingPhase, GrantingBody, PartnerOrganisation, Responsibility

WF, CHAMBER = PartnerOrganisation.Kind.ECONOMIC_DEVELOPMENT, PartnerOrganisation.Kind.CHAMBER
# name, short name, kind, seat, lead
PARTNERS = [
    ("Wirtschaftsförderung Dortmund", "WF DO", WF, Region.DORTMUND, True),
    ("Wirtschaftsentwicklung Bochum GmbH", "WEG BO", WF, Region.BOCHUM, False),
    ("HAGENagentur GmbH", "HAGENagentur", WF, Region.HAGEN, False),
    ("IHK zu Dortmund", "IHK DO", CHAMBER, Region.DORTMUND, False),
    ("IHK Mittleres Ruhrgebiet", "IHK MR", CHAMBER, Region.BOCHUM, False),
    ("SIHK zu Hagen", "SIHK", CHAMBER, Region.HAGEN, False),
    ("Handwerkskammer Dortmund", "HWK DO", CHAMBER, Region.DORTMUND, False),
]
# (region, city) → partner short name. Places not named (Castrop-Rauxel, Schwerte, ...) go to the lead.
RESPONSIBILITIES = [
    (Region.DORTMUND, "", "WF DO"),
    (Region.BOCHUM, "", "WEG BO"),
    (Region.HAGEN, "", "HAGENagentur"),
    ("", "Herne", "WEG BO"),
]
# The lead partner grants the vouchers (the data migration 0004 starts every database with the same).
GRANTING_BODY = {
    "programme_name": "In|Die RegionRuhr 4.0: Digitale Fabrik",
    "name": "Wirtschaftsförderung Dortmund",
    "street": "Grüne Straße 2–8",
    "postcode": "44147",
    "city": "Dortmund",
    "website": "www.wirtschaftsfoerderung-dortmund.de",
}
PHASES = [
    ("Digitale Fabrik 2019–2022", datetime.date(2019, 9, 1), datetime.date(2022, 8, 31), "1680000.00", "700000.00"),
    ("Digitale Fabrik 2025–2028", datetime.date(2025, 9, 1), datetime.date(2028, 8, 31), "1800000.00", "750000.00"),
]


def seed() -> None:
    partners = {
        short_name: PartnerOrganisationFactory(  # get or create by short name
            short_name=short_name, name=name, kind=kind, city=city, is_lead=is_lead
        )
        for name, short_name, kind, city, is_lead in PARTNERS
    }
    GrantingBody.objects.get_or_create(pk=GrantingBody.SINGLETON, defaults=GRANTING_BODY)
    for region, city, partner in RESPONSIBILITIES:
        if not Responsibility.objects.filter(region=region, city=city).exists():
            ResponsibilityFactory(region=region, city=city, partner=partners[partner])
    for name, start, end, total_budget, voucher_budget in PHASES:
        if not FundingPhase.objects.filter(name=name).exists():
            FundingPhaseFactory(
                name=name,
                start=start,
                end=end,
                total_budget=Decimal(total_budget),
                voucher_budget=Decimal(voucher_budget),
            )
