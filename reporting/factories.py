"""Factories of reports (tests, demo and benchmarks; see programme/factories.py)."""

import factory

from accounts.factories import StaffFactory
from programme.factories import FundingPhaseFactory
from reporting.models import PeriodPreset, Report, ReportKind


class ReportFactory(factory.django.DjangoModelFactory):
    """A queued report; services move it along."""

    class Meta:
        model = Report

    kind = ReportKind.INDICATORS
    phase = factory.SubFactory(FundingPhaseFactory)
    preset = PeriodPreset.PHASE
    period_start = factory.LazyAttribute(lambda o: o.phase.start)
    period_end = factory.LazyAttribute(lambda o: o.phase.end)
    language = "de"
    requested_by = factory.SubFactory(StaffFactory)
