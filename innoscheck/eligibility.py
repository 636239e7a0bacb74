"""Eligibility of a voucher application: every rule in one place, each passed or failed with a reason.

The de-minimis ceilings are law, not programme settings:
- decisions from 1 January 2024 (Regulation (EU) 2023/2831): EUR 300,000 over a rolling period of three
  years, i.e. aid granted after the same day three years before the decision, up to the decision date;
- decisions before 2024 (Regulation (EU) No 1407/2013): EUR 200,000 over the current and the two previous
  fiscal years (taken as calendar years).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from companies.sme import is_sme

from .models import Application
from .workflow import ACTIVE_VOUCHER

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


def _deminimis_rule(application: Application, amount: Decimal | None, decision_date: datetime.date) -> RuleResult:
    label = _("De-minimis ceiling")
    if not application.deminimis_declaration:
        return RuleResult("deminimis", label, False, _("The de-minimis declaration is missing."))
    first, last, ceiling = deminimis_window(decision_date)
    declared = sum(
        (aid.amount for aid in application.deminimis_aids.all() if first <= aid.granted_on <= last), Decimal("0")
    )
    total = declared + (amount or Decimal("0"))
    context = {
        "declared": _eur(declared),
        "total": _eur(total),
        "ceiling": _eur(ceiling),
        "first": first.strftime("%d.%m.%Y"),
        "last": last.strftime("%d.%m.%Y"),
    }
    if total > ceiling:
        return RuleResult(
            "deminimis",
            label,
            False,
            _(
                "Declared aid %(first)s–%(last)s of %(declared)s plus this voucher makes %(total)s, "
                "more than the ceiling of %(ceiling)s."
            )
            % context,
        )
    return RuleResult(
        "deminimis",
        label,
        True,
        _("Declared aid %(first)s–%(last)s of %(declared)s plus this voucher makes %(total)s ≤ %(ceiling)s.") % context,
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
    return EligibilityResult(
        rules=[
            _sme_rule(application),
            _region_rule(application),
            _active_voucher_rule(application),
            _amount_rule(application, amount),
            _deminimis_rule(application, amount, decision_date),
            _expert_rule(application),
        ]
    )
