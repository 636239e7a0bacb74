"""Real concurrent PostgreSQL connections (one per thread) approving at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from innoscheck import services
from innoscheck.workflow import Status
from programme.models import FundingPhase
from programme.tests.factories import FundingPhaseFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _approve_concurrently(applications, amount):
    staff = [StaffFactory() for _ in applications]
    barrier = threading.Barrier(len(applications))
    outcomes = []

    def approve(application, by):
        try:
            barrier.wait(timeout=10)
            services.application_approve(application=application, by=by, amount=amount)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(error.code or "invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(applications, staff, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_two_approvals_against_the_last_euros_end_with_exactly_one():
    phase = FundingPhaseFactory(voucher_budget=Decimal("8000.00"))
    applications = [ApplicationFactory(phase=phase, status=Status.IN_REVIEW) for _ in range(2)]

    assert _approve_concurrently(applications, Decimal("5000.00")) == ["approved", "budget"]

    phase = FundingPhase.objects.get(pk=phase.pk)
    assert phase.reserved_amount == Decimal("5000.00")
    assert phase.free_amount == Decimal("3000.00")
    statuses = sorted(a.status for a in phase.applications.all())
    assert statuses == sorted([Status.APPROVED, Status.IN_REVIEW])


def test_concurrent_approvals_get_consecutive_voucher_numbers():
    phase = FundingPhaseFactory()
    applications = [ApplicationFactory(phase=phase, status=Status.IN_REVIEW) for _ in range(3)]

    assert _approve_concurrently(applications, Decimal("1000.00")) == ["approved"] * 3

    year = timezone.localdate().year
    numbers = sorted(phase.applications.values_list("voucher_number", flat=True))
    assert numbers == [f"ISR-{year}-0001", f"ISR-{year}-0002", f"ISR-{year}-0003"]
