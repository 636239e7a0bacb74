"""Eligibility of a voucher application: every rule in one place, each passed or failed with a reason.

The de-minimis ceilings are law, not programme settings:
- decisions from 1 January 2024 (Regulation (EU) 2023/2831): EUR 300,000 over a rolling period of three
  years, i.e. aid granted after the same day three years before the decision, up to the decision date;
- decisions before 2024 (Regulation (EU) No 1407/2013): EUR 200,000 over the current and the two previous
  fiscal years (taken as calendar years).
The sum in the window is what the company declares plus the programme's own vouchers to the same
undertaking (``programme_aid``), which count whether or not the company declares them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from companies.sme import is_sme

from .models import Application
from .workflow import ACTIVE_VOUCHER, Status

DEMINIMIS_2023_2831_FROM = datetime.date(2024, 1, 1)
DEMINIMIS_CEILING = Decimal("300000.00")
DEMINIMIS_CEILING_BEFORE_2024 = Decimal("200000.00")


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool
    reason: str


@dataclass
class EligibilityResult:
    rules: list[RuleResult] = field(default_factory=list)
    # The de-minimis sum the rule judged, for the pages that show it.
    deminimis: "DeMinimisCheck | None" = None

    @property
    def passed(self) -> bool:
        return all(rule.passed for rule in self.rules)

    @property
    def failed(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.passed]

    def rule(self, code: str) -> RuleResult:
        return next(rule for rule in self.rules if rule.code == code)


def _eur(amount: Decimal) -> str:
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def deminimis_window(decision_date: datetime.date) -> tuple[datetime.date, datetime.date, Decimal]:
    """(first day counted, last day counted, ceiling) for a decision on ``decision_date``."""
    if decision_date >= DEMINIMIS_2023_2831_FROM:
        return _years_before(decision_date, 3) + datetime.timedelta(days=1), decision_date, DEMINIMIS_CEILING
    return datetime.date(decision_date.year - 2, 1, 1), decision_date, DEMINIMIS_CEILING_BEFORE_2024


def _sme_rule(application: Application) -> RuleResult:
    company = application.company
    label = _("SME under the EU definition")
    if not is_sme(company.size_class):
        return RuleResult("sme", label, False, _("By its profile figures the company is not an SME."))
    if not company.linked_enterprises_included:
        return RuleResult(
            "sme", label, False, _("The profile figures do not yet include partner and linked enterprises.")
        )
    if not application.sme_confirmed:
        return RuleResult("sme", label, False, _("The SME declaration has not been confirmed."))
    return RuleResult(
        "sme", label, True, _("%(size)s, declaration confirmed.") % {"size": company.get_size_class_display()}
    )


def _region_rule(application: Application) -> RuleResult:
    label = _("Seat or branch in the programme region")
    region = application.company.region
    if region in application.phase.eligible_regions:
        return RuleResult("region", label, True, application.company.get_region_display())
    return RuleResult("region", label, False, _("The company's region is not part of the programme region."))


def _active_voucher_rule(application: Application) -> RuleResult:
    limit = application.phase.max_active_vouchers
    label = _("No other active voucher")
    others = (
        Application.objects.filter(company_id=application.company_id, status__in=ACTIVE_VOUCHER)
        .exclude(pk=application.pk)
        .count()
    )
    if others >= limit:
        return RuleResult(
            "active_voucher",
            label,
            False,
            _("Active vouchers of the company: %(count)s; allowed at the same time: at most %(limit)s.")
            % {"count": others, "limit": limit},
        )
    return RuleResult("active_voucher", label, True, _("%(count)s of %(limit)s.") % {"count": others, "limit": limit})


def _amount_rule(application: Application, amount: Decimal | None) -> RuleResult:
    cap = application.phase.max_voucher_amount
    label = _("Amount within the maximum voucher value")
    if amount is None or amount <= 0:
        return RuleResult("amount", label, False, _("No amount has been requested yet."))
    if amount > cap:
        return RuleResult(
            "amount",
            label,
            False,
            _("%(amount)s is more than the maximum of %(cap)s.") % {"amount": _eur(amount), "cap": _eur(cap)},
        )
    return RuleResult("amount", label, True, _("%(amount)s ≤ %(cap)s.") % {"amount": _eur(amount), "cap": _eur(cap)})


@dataclass(frozen=True)
class ProgrammeAid:
    """One of the programme's own vouchers to the same undertaking, as de-minimis aid."""

    voucher_number: str
    granted_on: datetime.date
    amount: Decimal
    paid: bool


@dataclass(frozen=True)
class DeMinimisCheck:
    """The de-minimis sum for a decision: the window, what the company declared, the programme's own
    vouchers in the window, this voucher, the total and the ceiling."""

    first: datetime.date
    last: datetime.date
    ceiling: Decimal
    declared: list
    programme: list[ProgrammeAid]
    amount: Decimal

    @property
    def declared_total(self) -> Decimal:
        return sum((aid.amount for aid in self.declared), Decimal("0.00"))

    @property
    def programme_total(self) -> Decimal:
        return sum((aid.amount for aid in self.programme), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.declared_total + self.programme_total + self.amount

    @property
    def passed(self) -> bool:
        return self.total <= self.ceiling


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def programme_aid(*, company_id: int, first: datetime.date, last: datetime.date, exclude_pk=None) -> list[ProgrammeAid]:
    """The programme's vouchers to the company approved in the window (whether declared or not): the
    amount as granted, or what was paid when that is less; a voucher withdrawn without payout
    (rejected after approval, cancelled, expired) is no aid."""
    vouchers = (
        Application.objects.filter(
            company_id=company_id,
            approved_at__gte=_day_start(first),
            approved_at__lt=_day_start(last + datetime.timedelta(days=1)),
            grant_withdrawn_at__isnull=True,
        )
        .exclude(pk=exclude_pk)
        .order_by("approved_at", "pk")
    )
    return [
        ProgrammeAid(
            voucher_number=voucher.voucher_number or "",
            granted_on=timezone.localdate(voucher.approved_at),
            amount=min(voucher.approved_amount, voucher.verified_amount)
            if voucher.status == Status.PAID and voucher.verified_amount is not None
            else voucher.approved_amount,
            paid=voucher.status == Status.PAID,
        )
        for voucher in vouchers
    ]


def deminimis_check(
    application: Application, *, decision_date: datetime.date, amount: Decimal | None = None
) -> DeMinimisCheck:
    """The de-minimis sum for approving ``application`` with ``amount`` on ``decision_date``."""
    first, last, ceiling = deminimis_window(decision_date)
    return DeMinimisCheck(
        first=first,
        last=last,
        ceiling=ceiling,
        declared=[aid for aid in application.deminimis_aids.all() if first <= aid.granted_on <= last],
        programme=programme_aid(company_id=application.company_id, first=first, last=last, exclude_pk=application.pk),
        amount=amount or Decimal("0.00"),
    )


def _deminimis_rule(application: Application, check: DeMinimisCheck) -> RuleResult:
    label = _("De-minimis ceiling")
    if not application.deminimis_declaration:
        return RuleResult("deminimis", label, False, _("The de-minimis declaration is missing."))
    context = {
        "declared": _eur(check.declared_total),
        "programme": _eur(check.programme_total),
        "total": _eur(check.total),
        "ceiling": _eur(check.ceiling),
        "first": check.first.strftime("%d.%m.%Y"),
        "last": check.last.strftime("%d.%m.%Y"),
    }
    if not check.passed:
        return RuleResult(
            "deminimis",
            label,
            False,
            _(
                "De-minimis aid %(first)s–%(last)s: declared %(declared)s, this programme's vouchers "
                "%(programme)s, plus this voucher makes %(total)s, more than the ceiling of %(ceiling)s."
            )
            % context,
        )
    return RuleResult(
        "deminimis",
        label,
        True,
        _(
            "De-minimis aid %(first)s–%(last)s: declared %(declared)s, this programme's vouchers "
            "%(programme)s, plus this voucher makes %(total)s ≤ %(ceiling)s."
        )
        % context,
    )


def _expert_rule(application: Application) -> RuleResult:
    label = _("Expert confirmed")
    if application.expert is None:
        return RuleResult("expert", label, False, _("No expert has been chosen."))
    if not application.expert.confirmed:
        return RuleResult(
            "expert", label, False, _("Programme staff have not yet confirmed the proposed expert in the register.")
        )
    return RuleResult("expert", label, True, str(application.expert))


def check_eligibility(
    application: Application, *, decision_date: datetime.date, amount: Decimal | None = None
) -> EligibilityResult:
    """Every eligibility rule for ``application`` if decided on ``decision_date`` for ``amount``.

    ``amount`` defaults to the requested amount (staff may approve less).
    """
    amount = application.requested_amount if amount is None else amount
    deminimis = deminimis_check(application, decision_date=decision_date, amount=amount)
    return EligibilityResult(
        rules=[
            _sme_rule(application),
            _region_rule(application),
            _active_voucher_rule(application),
            _amount_rule(application, amount),
            _deminimis_rule(application, deminimis),
            _expert_rule(application),
        ],
        deminimis=deminimis,
    )
