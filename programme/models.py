import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Region

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class PartnerOrganisation(models.Model):
    """An organisation that runs the programme: the lead (Wirtschaftsförderung Dortmund), the other
    economic development agencies and the chambers."""

    class Kind(models.TextChoices):
        ECONOMIC_DEVELOPMENT = "wf", _("Economic development agency")
        CHAMBER = "chamber", _("Chamber")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=20, choices=Region.choices)
    is_lead = models.BooleanField(
        _("lead partner"),
        default=False,
        help_text=_("Staff of the lead partner see every company, case and application of the programme."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [
            models.UniqueConstraint(fields=["is_lead"], condition=Q(is_lead=True), name="one_lead_partner"),
        ]

    def __str__(self):
        return self.name


class Responsibility(models.Model):
    """One row of the table that says which partner looks after the companies of a place.

    A row names either a city (as companies write it, compared without case) or a region of the
    programme; a city row wins over its region's row, and places no row names go to the lead partner.
    """

    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )

    class Meta:
        ordering = ["region", "city"]
        verbose_name = _("responsibility for a place")
        verbose_name_plural = _("responsibilities for places")
        constraints = [
            models.CheckConstraint(
                condition=(Q(city="") & ~Q(region="")) | (~Q(city="") & Q(region="")),
                name="responsibility_city_or_region",
            ),
            models.UniqueConstraint(Lower("city"), condition=~Q(city=""), name="responsibility_city_unique"),
            models.UniqueConstraint(fields=["region"], condition=~Q(region=""), name="responsibility_region_unique"),
        ]

    def __str__(self):
        return f"{self.city or self.get_region_display()} → {self.partner}"

    def clean(self):
        self.city = self.city.strip()
        if bool(self.city) == bool(self.region):
            raise ValidationError(_("Name either a city or a region."))


def _all_regions() -> list[str]:
    return list(Region.values)


class FundingPhaseQuerySet(models.QuerySet):
    def running(self, *, today: datetime.date | None = None) -> "FundingPhase | None":
        """The phase running on ``today`` (the latest to start, should phases overlap), or None."""
        today = today or timezone.localdate()
        return self.filter(start__lte=today, end__gte=today).order_by("-start").first()


class FundingPhase(models.Model):
    """A funding period of the programme with its own budget and programme settings."""

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
    eligible_regions = models.JSONField(
        _("eligible regions"),
        default=_all_regions,
        help_text=_("Companies must have their seat or a branch in one of these regions."),
    )
    # Changed only by innoscheck.services under a row lock on the phase.
    reserved_amount = models.DecimalField(_("reserved (EUR)"), default=Decimal("0.00"), editable=False, **MONEY)
    spent_amount = models.DecimalField(_("paid out (EUR)"), default=Decimal("0.00"), editable=False, **MONEY)

    objects = FundingPhaseQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(reserved_amount__gte=0) & Q(spent_amount__gte=0),
                name="phase_budget_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(voucher_budget__gte=F("reserved_amount") + F("spent_amount")),
                name="phase_budget_never_overdrawn",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def free_amount(self) -> Decimal:
        return self.voucher_budget - self.reserved_amount - self.spent_amount

    def clean(self):
        unknown = set(self.eligible_regions or []) - set(Region.values)
        if unknown:
            raise ValidationError({"eligible_regions": _("Unknown regions: %(r)s") % {"r": ", ".join(sorted(unknown))}})


class WorkflowEvent(models.Model):
    """One step of an object's life: who (empty: the system), when, which transition, from, to, why.

    Each workflow's event model extends this (voucher applications, coaching cases, reports) and adds
    the foreign key to its object; the fields mean the same everywhere. Rows are only ever added.
    """

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, blank=True)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def by_display(self) -> str:
        """The person who took the step, or "System" for steps nobody took (expiry, the schedule)."""
        if self.by is None:
            return str(_("System"))
        return self.by.get_full_name() or self.by.email


class GrantingBody(models.Model):
    """The body that grants the vouchers, named with its address on every voucher and certificate.

    One row (administrators edit it); the data migration starts it with the lead partner.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    programme_name = models.CharField(
        _("programme name"), max_length=200, default="In|Die RegionRuhr 4.0: Digitale Fabrik"
    )
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("granting body")
        verbose_name_plural = _("granting body")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="granting_body_single_row")]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "GrantingBody | None":
        return cls.objects.filter(pk=cls.SINGLETON).first()

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.name, self.department, self.street, f"{self.postcode} {self.city}") if line]
