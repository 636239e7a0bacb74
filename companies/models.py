import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from digitalfabrik.choices import ChoiceLabelsMixin
from programme.choices import Region, SizeClass

from .choices import Chamber, LegalForm, WZSection

postcode_validator = RegexValidator(r"^\d{5}$", _("Enter a German postcode of exactly five digits."))
wz_code_validator = RegexValidator(
    r"^\d{2}(\.\d{1,2}(\.\d{1,2})?)?$", _("Enter a WZ 2008 code such as 25.62 or 28.41.0.")
)
MONEY = {"max_digits": 15, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Company(ChoiceLabelsMixin, models.Model):
    name = models.CharField(_("company name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5, validators=[postcode_validator])
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    chamber = models.CharField(_("chamber"), max_length=20, choices=Chamber.choices)
    wz_section = models.CharField(_("industry (WZ 2008 section)"), max_length=1, choices=WZSection.choices)
    wz_code = models.CharField(_("WZ 2008 code"), max_length=10, validators=[wz_code_validator])
    founding_date = models.DateField(
        _("founding date"),
        validators=[MinValueValidator(datetime.date(1800, 1, 1)), MaxValueValidator(datetime.date(2100, 12, 31))],
    )
    # False for dates carried over from the founding year alone (1 January of that year): the company
    # has not yet confirmed the day. Reports do not count such a company as a new enterprise.
    founding_date_confirmed = models.BooleanField(_("founding date confirmed by the company"), default=True)
    staff_headcount = models.DecimalField(
        _("staff headcount (annual work units)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    annual_turnover = models.DecimalField(_("annual turnover (EUR)"), **MONEY)
    balance_sheet_total = models.DecimalField(_("balance-sheet total (EUR)"), **MONEY)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    linked_enterprises_included = models.BooleanField(
        _("partner and linked enterprises are included in these figures"), default=False
    )
    # Derived by companies.sme.sme_class whenever the figures change (only in services); stored
    # so reports can count by size class in SQL.
    size_class = models.CharField(_("SME class"), max_length=10, choices=SizeClass.choices, editable=False)
    # Derived from the place by programme.responsibility (only in services), unless staff handed the
    # company to another partner: then it stays with that partner when the address changes.
    responsible_partner = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        editable=False,
    )
    handed_over = models.BooleanField(_("handed over by staff"), default=False, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(Lower("name"), "postcode", name="company_name_postcode_unique"),
        ]
        indexes = [
            models.Index(fields=["region"]),
            models.Index(fields=["responsible_partner", "name"]),
            # The companies list of the lead partner's staff and of coaches: every company by name.
            models.Index(fields=["name"], name="company_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def legal_form_to_show(self) -> str:
        """The legal form to write after the name: none if the name already ends with it ("Muster GmbH")."""
        if self.legal_form in {LegalForm.SOLE, LegalForm.OTHER, ""}:
            return ""
        label = self.get_legal_form_display()

        def bare(text: str) -> str:
            return "".join(text.split()).rstrip(".").casefold()

        name = bare(self.name)
        return "" if name.endswith(bare(label)) or name.endswith(bare(label.split(" (")[0])) else label


class Handover(models.Model):
    """A company handed from one partner organisation to another: who, when and why."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="handovers")
    from_partner = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_partner = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=pgettext_lazy("handover", "to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return f"{self.company}: {self.from_partner} → {self.to_partner}"


class Membership(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="membership_unique")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.company}"


class Invitation(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"
