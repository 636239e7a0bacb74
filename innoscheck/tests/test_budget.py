"""The phase's budget figures always equal what the vouchers in it hold, whatever happens in which order."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.tests.factories import StaffFactory
from innoscheck import services, tasks
from innoscheck.budget import budget_differences
from innoscheck.workflow import RESERVING, Status
from programme.models import FundingPhase
from programme.tests.factories import FundingPhaseFactory

from .factories import ApplicationFactory, pdf_upload

pytestmark = pytest.mark.django_db

ENDINGS = ["approved", "rejected_after_approval", "cancelled", "expired", "paid", "refused"]


def _consistent():
    """After every service: each phase's stored totals equal the sums over its vouchers."""
    assert budget_differences() == []


def _run(application, ending, staff, amount):
    try:
        services.application_approve(application=application, by=staff, amount=amount)
    except ValidationError:
        return
    _consistent()
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
        _consistent()
        services.application_verify(application=application, by=staff, amount=amount - Decimal("0.01"))
        _consistent()
        services.application_mark_paid(application=application, by=staff)
    _consistent()


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


def test_check_budget_reports_a_difference_to_the_administrators(settings):
    settings.ADMINS = [("Betrieb", "betrieb@example.com")]
    application = ApplicationFactory(status=Status.IN_REVIEW, with_files=False)
    services.application_approve(application=application, by=StaffFactory(), amount=Decimal("5000"))
    call_command("check_budget", stdout=StringIO())
    assert mail.outbox == []
    FundingPhase.objects.filter(pk=application.phase_id).update(reserved_amount=Decimal("4000"))
    with pytest.raises(CommandError, match="reserved 4000.00 stored, 5000.00 over its vouchers"):
        call_command("check_budget", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["betrieb@example.com"]
    assert "5000.00 over its vouchers" in mail.outbox[0].body


def test_daily_task_mails_once_per_day(settings):
    settings.ADMINS = [("Betrieb", "betrieb@example.com")]
    phase = FundingPhaseFactory()
    FundingPhase.objects.filter(pk=phase.pk).update(spent_amount=Decimal("1.00"))
    assert tasks.check_budget() == 1
    assert tasks.check_budget() is None  # the day's slot has run already
    assert len(mail.outbox) == 1
