"""Factories of the programme's partners, responsibilities and funding phases.

One way to make data: the tests, the demo (seed_demo) and the benchmarks (bench/, ``.build()`` + bulk_create)
all use these factories, so they live beside the models rather than in tests/."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from programme.choices import Region
from programme.models import FundingPhase, GrantingBody, PartnerOrganisation, Responsibility


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Wirtschaftsförderung {n}")
    short_name = factory.Sequence(lambda n: f"WF{n}")
    kind = PartnerOrganisation.Kind.ECONOMIC_DEVELOPMENT
    city = Region.DORTMUND


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    region = Region.DORTMUND
    partner = factory.SubFactory(PartnerOrganisationFactory)


class FundingPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingPhase

    name = factory.Sequence(lambda n: f"Phase {n}")
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=730))
    total_budget = Decimal("1680000.00")
    voucher_budget = Decimal("700000.00")


class GrantingBodyFactory(factory.django.DjangoModelFactory):
    """The one granting body (the row the data migration made, changed to these values)."""

    class Meta:
        model = GrantingBody
        django_get_or_create = ("id",)

    id = GrantingBody.SINGLETON
    name = "Wirtschaftsförderung Dortmund"
    street = "Grüne Straße 2–8"
    postcode = "44147"
    city = "Dortmund"
