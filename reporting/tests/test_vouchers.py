"""The maintained voucher figures per day (reporting.vouchers, written by the subscriber in each step's
transaction) always give the figures, the budget and its burndown that the full computation over the
vouchers gives (indicators.voucher_totals, budget_status, budget_burndown), whatever steps happen in
which order and on which days; and a rebuild writes the same days."""

import contextlib
import datetime
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import StaffFactory
from companies.tests.factories import CompanyFactory
from digitalfabrik.tests.concurrency import at_once
from innoscheck import services as innoscheck
from innoscheck.tests.factories import ApplicationFactory, pdf_upload
from programme.tests.factories import FundingPhaseFactory
from reporting import indicators, vouchers
from reporting.indicators import Range
from reporting.models import VoucherDay

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# Half past midnight in Berlin is the day before in UTC: every step's day must be the local one.
START = datetime.datetime(2026, 3, 2, 0, 30, tzinfo=BERLIN)
COMPANIES = 4

# The lives a voucher can have, step by step; several vouchers live at once, their steps interleaved.
LIVES = [
    ("apply", "approve", "proof", "verify", "pay"),
    ("apply", "approve", "cancel"),
    ("apply", "approve", "proof", "verify", "cancel"),
    ("apply", "approve", "expire"),
    ("apply", "approve", "reject"),
    ("apply", "reject"),
    ("apply", "withdraw"),
]
# Each voucher's life, the hours before each of its steps, and an amount; the lives run at once, their
# steps interleaved in time.
lives = st.lists(
    st.tuples(
        st.sampled_from(LIVES),
        st.lists(st.integers(min_value=0, max_value=40 * 24), min_size=5, max_size=5),
        st.integers(min_value=0, max_value=40),
    ),
    min_size=1,
    max_size=4,
)


class World:
    def __init__(self):
        self.phase = FundingPhaseFactory(
            start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31), max_active_vouchers=5
        )
        # A voucher of another phase adds nothing to this one's figures.
        self.other_phase = FundingPhaseFactory(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
        self.staff = StaffFactory()
        self.companies = [CompanyFactory() for _index in range(COMPANIES)]
        self.vouchers = {}

    def step(self, action: str, index: int, amount: int) -> None:
        """Voucher ``index`` takes its step ``action``; the fourth voucher belongs to the other phase."""
        if action == "apply":
            application = ApplicationFactory(
                company=self.companies[index],
                phase=self.other_phase if index == 3 else self.phase,
                requested_amount=Decimal("5000.00"),
            )
            innoscheck.application_submit(application=application, by=application.created_by)
            innoscheck.application_start_review(application=application, by=self.staff)
            self.vouchers[index] = application
            return
        application = self.vouchers.get(index)
        if application is None:  # its application was refused
            return
        application.refresh_from_db()
        euros = Decimal(1000 + 100 * amount)
        {
            "approve": lambda: innoscheck.application_approve(application=application, by=self.staff, amount=euros),
            "reject": lambda: innoscheck.application_reject(application=application, by=self.staff, reason="Nein"),
            "withdraw": lambda: innoscheck.application_withdraw(application=application, by=application.created_by),
            "cancel": lambda: innoscheck.application_cancel(application=application, by=self.staff, reason="Verzicht"),
            "expire": lambda: innoscheck.application_expire(application=application),
            "proof": lambda: innoscheck.application_submit_proof(
                application=application,
                by=application.created_by,
                actual_days=Decimal("4"),
                actual_amount=euros,
                report=pdf_upload("bericht.pdf"),
                invoice=pdf_upload("rechnung.pdf"),
            ),
            # Less than approved: a payment frees the rest of the reservation.
            "verify": lambda: innoscheck.application_verify(
                application=application, by=self.staff, amount=(application.approved_amount or euros) - amount
            ),
            "pay": lambda: innoscheck.application_mark_paid(application=application, by=self.staff),
        }[action]()


def _ranges() -> list[Range]:
    day = START.date()
    return [
        Range(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)),  # the whole phase
        Range(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        Range(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        Range(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        Range(day, day),
        *(Range(day + datetime.timedelta(days=n), day + datetime.timedelta(days=n + 20)) for n in (1, 15, 40, 90)),
    ]


def _figures(world, *, maintained: bool) -> list:
    """For each range: its voucher figures and the whole phase's, the budget and the burndown at its end."""
    phase, whole = world.phase, _ranges()[0]
    figures = []
    for period in _ranges():
        as_of = period.end
        if maintained:
            totals, budget = vouchers.totals_and_budget(phase=phase, periods=[period, whole], as_of=as_of)
            figures.append((totals, budget, vouchers.burndown(phase=phase, as_of=as_of)))
        else:
            totals = [indicators.voucher_totals(phase=phase, period=range_) for range_ in (period, whole)]
            budget = indicators.budget_status(phase=phase, as_of=as_of)
            figures.append((totals, budget, indicators.budget_burndown(phase=phase, as_of=as_of)))
    return figures


def _days() -> list[tuple]:
    columns = ("phase_id", "day", *vouchers.FIGURES)
    rows = VoucherDay.objects.order_by("phase_id", "day").values_list(*columns)
    return [row for row in rows if any(row[2:])]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lives=lives)
def test_maintained_voucher_figures_equal_the_full_computation(lives, tmp_path_factory):
    timeline = []
    for index, (life, hours, amount) in enumerate(lives):
        moment = START
        for action, gap in zip(life, hours, strict=False):
            moment += datetime.timedelta(hours=gap)
            timeline.append((moment, index, action, amount))
    with (
        time_machine.travel(START, tick=False) as clock,
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        world = World()
        for moment, index, action, amount in sorted(timeline):
            clock.move_to(moment)
            with contextlib.suppress(ValidationError):  # a step the rules refuse: nothing happened
                world.step(action, index, amount)
        assert _figures(world, maintained=True) == _figures(world, maintained=False)
        maintained_days = _days()
        vouchers.rebuild()
        assert _days() == maintained_days


def test_a_rolled_back_step_leaves_no_figures(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    world.step("apply", 0, 0)
    before = _days()
    assert [row[2:4] for row in before] == [(1, 0)]  # submitted on its day, not approved
    with pytest.raises(RuntimeError), transaction.atomic():
        world.step("approve", 0, 10)
        assert [row[2:4] for row in _days()] == [(1, 1)]  # written in the step's transaction
        raise RuntimeError("the request fails after the approval")
    assert _days() == before


@pytest.mark.django_db(transaction=True)
def test_two_applications_submitted_at_once_on_a_new_day_both_count(monkeypatch):
    """Real concurrent connections: both add to the day's row that neither found, neither is lost. Each
    pauses after reading its own entries, so that both insert the day's row at the same moment."""
    world = World()
    applications = [
        ApplicationFactory(company=world.companies[index], phase=world.phase, requested_amount=Decimal("5000.00"))
        for index in range(2)
    ]
    add = vouchers._add_to_days

    def slowly(after, before):
        time.sleep(0.3)
        add(after, before)

    monkeypatch.setattr(vouchers, "_add_to_days", slowly)

    def submit(application):
        return lambda: innoscheck.application_submit(application=application, by=application.created_by)

    results = at_once(*(submit(application) for application in applications))

    assert [type(result).__name__ for result in results] == ["Application", "Application"]
    day = timezone.localdate()
    assert VoucherDay.objects.get(phase=world.phase, day=day).submitted == 2
    (totals,), _budget = vouchers.totals_and_budget(phase=world.phase, periods=[Range(day, day)], as_of=day)
    assert totals == indicators.voucher_totals(phase=world.phase, period=Range(day, day))
