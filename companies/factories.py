"""Factories of companies and memberships (tests, demo and benchmarks; see programme/factories.py)."""

import datetime
from decimal import Decimal

import factory

from accounts.factories import UserFactory
from companies.choices import Chamber, LegalForm, WZSection
from companies.models import Company, Membership
from programme.choices import Region


class CompanyFactory(factory.django.DjangoModelFactory):
    """A small manufacturer in Dortmund. Size class and responsible partner are derived as the service would."""

    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Musterfirma {n} GmbH")
    legal_form = LegalForm.GMBH
    street = "Rheinische Str. 1"
    postcode = factory.Sequence(lambda n: f"{44000 + n % 1000:05d}")
    city = "Dortmund"
    region = Region.DORTMUND
    chamber = Chamber.IHK_DORTMUND
    wz_section = WZSection.C
    wz_code = "25.62"
    founding_date = datetime.date(1990, 3, 15)
    staff_headcount = Decimal("25")
    annual_turnover = Decimal("3000000")
    balance_sheet_total = Decimal("2000000")
    contact_name = "Erika Mustermann"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@firma.example")
    linked_enterprises_included = True

    @factory.lazy_attribute
    def size_class(self):
        from companies.sme import sme_class

        return sme_class(
            headcount=self.staff_headcount, turnover=self.annual_turnover, balance_sheet_total=self.balance_sheet_total
        )

    @factory.lazy_attribute
    def responsible_partner(self):
        from programme.responsibility import partner_for_place

        return partner_for_place(city=self.city, region=self.region)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
