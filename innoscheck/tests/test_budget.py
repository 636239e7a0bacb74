"""The phase's budget figures always equal what the vouchers in it hold, whatever happens in which order."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.tests.factories import StaffFactory
from innoscheck import services
from innoscheck.workflow import RESERVING, Status
from programme.models import FundingPhase
from programme.tests.factories import FundingPhaseFactory

from .factories import ApplicationFactory, pdf_upload

pytestmark = pytest.mark.django_db

ENDINGS = ["approved", "rejected_after_approval", "cancelled", "expired", "paid", "refused"]


def _run(application, ending, staff, amount):
    try:
        services.application_approve(application=application, by=staff, amount=amount)
    except ValidationError:
        return
    if ending == "rejected_after_approval":
        services.application_reject(application=application, by=staff, reason="Widerruf")
    elif ending == "cancelled":
        services.application_cancel(application=application, by=staff, reason="Verzicht")
    elif ending == "expired":
        services.application_expire(application=application)
    elif ending == "paid":
        services.application_submit_proof(
            application=application,
            by=application.created_by,
            actual_days=Decimal("1"),
            actual_amount=amount,
            report=pdf_upload(),
            invoice=pdf_upload(),
        )
        services.application_verify(application=application, by=staff, amount=amount - Decimal("0.01"))
        services.application_mark_paid(application=application, by=staff)


@settings(max_examples=15, deadline=None)
@given(
    budget=st.integers(min_value=1000, max_value=30000),
    vouchers=st.lists(
        st.tuples(st.integers(min_value=100, max_value=10000), st.sampled_from(ENDINGS)), min_size=1, max_size=6
    ),
)
def test_budget_figures_match_the_vouchers(budget, vouchers):
    phase = FundingPhaseFactory(voucher_budget=Decimal(budget))
    staff = StaffFactory()
    for amount, ending in vouchers:
        application = ApplicationFactory(
            phase=phase, status=Status.IN_REVIEW, requested_amount=Decimal(10000), with_files=False
        )
        _run(application, ending, staff, Decimal(amount))
    phase = FundingPhase.objects.get(pk=phase.pk)
    reserved = phase.applications.filter(status__in=RESERVING).aggregate(s=Sum("approved_amount"))["s"] or 0
    spent = phase.applications.filter(status=Status.PAID).aggregate(s=Sum("verified_amount"))["s"] or 0
    assert (phase.reserved_amount, phase.spent_amount) == (reserved, spent)
    assert phase.free_amount >= 0


@pytest.mark.parametrize(
    ("status", "call", "expected"),
    [
        (
            Status.IN_REVIEW,
            lambda a, s: services.application_approve(application=a, by=s, amount=Decimal("5000")),
            "ISR-",
        ),
        (
            Status.IN_REVIEW,
            lambda a, s: services.application_reject(application=a, by=s, reason="Kein Bezug"),
            "Kein Bezug",
        ),
        (
            Status.SUBMITTED,
            lambda a, s: services.application_request_changes(application=a, by=s, message="Bitte X"),
            "Bitte X",
        ),
    ],
)
def test_each_decision_mails_the_company(django_capture_on_commit_callbacks, status, call, expected):
    application = ApplicationFactory(status=status)
    with django_capture_on_commit_callbacks(execute=True):
        call(application, StaffFactory())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.company.contact_email]
    assert expected in mail.outbox[0].body
    assert f"/innoscheck/{application.pk}/" in mail.outbox[0].body
