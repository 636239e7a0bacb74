"""The programme's own vouchers to the same undertaking count in the de-minimis sum, declared or not."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from innoscheck import services
from innoscheck.documents import render_certificate_pdf
from innoscheck.eligibility import check_eligibility, deminimis_check
from innoscheck.models import Application
from innoscheck.workflow import Status
from programme.tests.factories import FundingPhaseFactory

from .factories import ApplicationFactory, aid

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
DECISION = datetime.date(2026, 11, 25)


def _earlier_voucher(company, *, approved_on, amount, status=Status.APPROVED, paid=None, withdrawn=None):
    approved_at = datetime.datetime.combine(approved_on, datetime.time(10), tzinfo=BERLIN)
    return ApplicationFactory(
        company=company,
        status=status,
        requested_amount=amount,
        approved_amount=amount,
        decided_at=approved_at,
        approved_at=approved_at,
        grant_withdrawn_at=withdrawn,
        verified_amount=paid,
        voucher_number=f"ISR-{approved_on.year}-{Application.objects.count() + 1:04d}",
        with_files=False,
    )


def _rule(application, amount=Decimal("10000.00")):
    return check_eligibility(application, decision_date=DECISION, amount=amount).rule("deminimis")


def test_the_issue_example_is_refused():
    """Earlier paid voucher 10,000 + declared 290,000 + new 10,000 = 310,000 > 300,000."""
    application = ApplicationFactory(requested_amount=Decimal("10000.00"))
    _earlier_voucher(
        application.company,
        approved_on=datetime.date(2025, 3, 1),
        amount=Decimal("10000.00"),
        status=Status.PAID,
        paid=Decimal("10000.00"),
    )
    aid(application, granted_on=datetime.date(2025, 6, 1), amount=Decimal("290000.00"))
    rule = _rule(application)
    assert not rule.passed
    assert "310.000,00" in rule.reason or "310,000.00" in rule.reason
    assert "26.11.2023" in rule.reason and "25.11.2026" in rule.reason


@pytest.mark.parametrize(("declared", "passed"), [("280000.00", True), ("280000.01", False)])
def test_exactly_the_ceiling_passes_one_cent_over_fails(declared, passed):
    application = ApplicationFactory()
    _earlier_voucher(application.company, approved_on=datetime.date(2025, 1, 10), amount=Decimal("10000.00"))
    aid(application, granted_on=datetime.date(2025, 6, 1), amount=Decimal(declared))
    assert _rule(application).passed is passed


@pytest.mark.parametrize(
    ("approved_on", "counted"),
    [
        (datetime.date(2023, 11, 25), False),  # the same day three years before: outside
        (datetime.date(2023, 11, 26), True),  # first day of the window
        (DECISION, True),  # the decision day itself
    ],
)
def test_window_edges(approved_on, counted):
    application = ApplicationFactory()
    _earlier_voucher(application.company, approved_on=approved_on, amount=Decimal("7000.00"))
    check = deminimis_check(application, decision_date=DECISION, amount=Decimal("1000.00"))
    assert (check.programme_total == Decimal("7000.00")) is counted
    assert check.first == datetime.date(2023, 11, 26) and check.last == DECISION


def test_paid_lower_counts_what_was_paid_and_withdrawn_counts_nothing():
    application = ApplicationFactory()
    company = application.company
    _earlier_voucher(
        company,
        approved_on=datetime.date(2025, 1, 1),
        amount=Decimal("9000.00"),
        status=Status.PAID,
        paid=Decimal("6500.00"),
    )
    for status in (Status.CANCELLED, Status.EXPIRED, Status.REJECTED):
        _earlier_voucher(
            company,
            approved_on=datetime.date(2025, 2, 1),
            amount=Decimal("5000.00"),
            status=status,
            withdrawn=datetime.datetime(2025, 5, 1, tzinfo=BERLIN),
        )
    ApplicationFactory(company=company, status=Status.IN_REVIEW)  # not granted: no aid
    check = deminimis_check(application, decision_date=DECISION, amount=Decimal("1000.00"))
    assert [item.amount for item in check.programme] == [Decimal("6500.00")]
    assert check.total == Decimal("7500.00")


def test_another_company_s_vouchers_do_not_count():
    application = ApplicationFactory()
    _earlier_voucher(ApplicationFactory().company, approved_on=datetime.date(2025, 1, 1), amount=Decimal("9000.00"))
    assert deminimis_check(application, decision_date=DECISION).programme == []


def test_approval_is_refused_through_the_service():
    phase = FundingPhaseFactory(voucher_budget=Decimal("100000.00"), total_budget=Decimal("200000.00"))
    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=BERLIN)):
        application = ApplicationFactory(phase=phase, status=Status.IN_REVIEW, requested_amount=Decimal("10000.00"))
        _earlier_voucher(
            application.company,
            approved_on=datetime.date(2025, 3, 1),
            amount=Decimal("10000.00"),
            status=Status.PAID,
            paid=Decimal("10000.00"),
        )
        aid(application, granted_on=datetime.date(2025, 6, 1), amount=Decimal("290000.00"))
        with pytest.raises(ValidationError) as error:
            services.application_approve(application=application, by=StaffFactory(), amount=Decimal("10000.00"))
    assert "310,000.00" in " ".join(error.value.messages)


def test_staff_view_and_declaration_step_list_the_programme_vouchers(client, world):
    application = ApplicationFactory(company=world.company_a, status=Status.SUBMITTED)
    draft = ApplicationFactory(company=world.company_a, created_by=world.users["member_a"])
    _earlier_voucher(
        world.company_a, approved_on=datetime.date.today() - datetime.timedelta(days=30), amount=Decimal("4321.00")
    )
    client.force_login(world.users["staff"])
    page = client.get(reverse("innoscheck:detail", args=[application.pk])).content.decode()
    assert 'data-testid="programme-aid"' in page and "4.321,00" in page
    client.force_login(world.users["member_a"])
    step = client.get(reverse("innoscheck:edit", args=[draft.pk, "declarations"])).content.decode()
    assert 'data-testid="programme-aid"' in step and "4.321,00" in step


def test_certificate_lists_the_aid_it_counted():
    import io

    from pypdf import PdfReader

    application = ApplicationFactory()
    _earlier_voucher(application.company, approved_on=datetime.date(2025, 3, 1), amount=Decimal("4321.00"))
    aid(application, granted_on=datetime.date(2025, 6, 1), amount=Decimal("1234.00"), grantor="Stadt Dortmund")
    approved = _earlier_voucher(application.company, approved_on=DECISION, amount=Decimal("5000.00"))
    approved.deminimis_aids.set(application.deminimis_aids.all())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_certificate_pdf(approved))).pages)
    assert "Stadt Dortmund" in text and "4.321,00" in text and "1.234,00" in text
    assert "10.555,00" in text  # 1,234 declared + 4,321 earlier voucher + 5,000 this voucher
    assert "26.11.2023 – 25.11.2026" in text  # the window the aid was counted in
