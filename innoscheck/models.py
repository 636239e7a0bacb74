from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingPhase(models.Model):
    """A funding period of the programme with its own budget."""

    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    total_budget = models.DecimalField(
        _("total budget (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    voucher_budget = models.DecimalField(
        _("voucher budget (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    max_voucher_amount = models.DecimalField(
        _("maximum voucher value (EUR)"), max_digits=10, decimal_places=2, default=Decimal("10000.00")
    )
    voucher_validity_months = models.PositiveSmallIntegerField(_("voucher validity (months)"), default=6)
    max_active_vouchers = models.PositiveSmallIntegerField(_("active vouchers per company at most"), default=1)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("funding phase")
        verbose_name_plural = _("funding phases")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="phase_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(voucher_budget__lte=models.F("total_budget")),
                name="phase_voucher_budget_within_total",
            ),
        ]

    def __str__(self):
        return self.name
