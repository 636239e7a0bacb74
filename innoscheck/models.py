import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from digitalfabrik.choices import ChoiceLabelsMixin
from programme.choices import Region, SizeClass, Topic
from programme.models import WorkflowEvent

from .workflow import Status

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class VoucherCounter(models.Model):
    """The last voucher number issued in a year; locked while the next one is taken (gapless)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("voucher counter")
        verbose_name_plural = _("voucher counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Expert(ChoiceLabelsMixin, models.Model):
    """An external consultant in the register that programme staff maintain."""

    name = models.CharField(_("name"), max_length=200)
    firm = models.CharField(_("firm"), max_length=200, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    daily_rate = models.DecimalField(_("daily rate (EUR)"), **MONEY)
    confirmed = models.BooleanField(
        _("confirmed by programme staff"),
        default=False,
        help_text=_("Experts proposed in an application are listed once staff have confirmed them."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return f"{self.name} ({self.firm})" if self.firm else self.name

    def clean(self):
        unknown = set(self.topics or []) - set(Topic.values)
        if unknown:
            raise ValidationError({"topics": _("Unknown topics: %(t)s") % {"t": ", ".join(sorted(unknown))}})

    def get_topics_display(self) -> str:
        labels = dict(Topic.choices)
        return ", ".join(str(labels[topic]) for topic in self.topics if topic in labels)


class DeMinimisDeclaration(models.TextChoices):
    NONE = "none", _("No de-minimis aid received in the period")
    AIDS = "aids", _("De-minimis aid received, listed below")


class Application(ChoiceLabelsMixin, models.Model):
    """A company's application for an InnoScheck.RUHR voucher, from draft to payout."""

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="voucher_applications"
    )
    phase = models.ForeignKey(
        "programme.FundingPhase", verbose_name=_("funding phase"), on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voucher_applications", editable=False
    )
    partner = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher_applications",
    )
    coaching_case = models.ForeignKey(
        "coaching.Case",
        verbose_name=_("coaching case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voucher_applications",
    )
    # Guards against a form posted twice creating two drafts.
    client_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )

    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, blank=True)
    title = models.CharField(_("project title"), max_length=200, blank=True)
    description = models.TextField(_("project description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    expert_days = models.DecimalField(
        _("expert days"), max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    daily_rate = models.DecimalField(_("daily rate (EUR)"), null=True, blank=True, **MONEY)
    calculated_amount = models.DecimalField(_("days × daily rate (EUR)"), null=True, blank=True, **MONEY)
    requested_amount = models.DecimalField(_("requested amount (EUR)"), null=True, blank=True, **MONEY)

    sme_confirmed = models.BooleanField(_("SME declaration confirmed"), default=False)
    deminimis_declaration = models.CharField(
        _("de-minimis declaration"), max_length=10, choices=DeMinimisDeclaration.choices, blank=True
    )

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    # The first decision on the application (approval or rejection); a later step never overwrites it.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    # When the grant was committed (the voucher approved); it counts in that period for good.
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    # When an approved voucher was taken back (rejected after approval, cancelled or expired): its own
    # event in its own period ("grants withdrawn", "amount released").
    grant_withdrawn_at = models.DateTimeField(_("grant withdrawn at"), null=True, blank=True, editable=False)
    # The company as it was when it received the support (the approval): reports count it by these, so a
    # later move or growth does not change a period already reported. Empty until then.
    support_size_class = models.CharField(
        _("SME class at the time of support"), max_length=10, choices=SizeClass.choices, blank=True, editable=False
    )
    support_region = models.CharField(
        _("region at the time of support"), max_length=20, choices=Region.choices, blank=True, editable=False
    )
    support_city = models.CharField(_("city at the time of support"), max_length=100, blank=True, editable=False)
    approved_amount = models.DecimalField(_("approved amount (EUR)"), null=True, blank=True, editable=False, **MONEY)
    voucher_number = models.CharField(_("voucher number"), max_length=20, unique=True, null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    voucher_pdf = models.FileField(_("voucher"), blank=True, editable=False)
    certificate_pdf = models.FileField(_("de-minimis certificate"), blank=True, editable=False)

    actual_days = models.DecimalField(
        _("actual expert days"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    actual_amount = models.DecimalField(_("invoiced amount (EUR)"), null=True, blank=True, **MONEY)
    verified_amount = models.DecimalField(_("verified amount (EUR)"), null=True, blank=True, editable=False, **MONEY)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("voucher application")
        verbose_name_plural = _("voucher applications")
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["company", "status"]),
            # The review queue's oldest-first page, read in index order.
            models.Index(fields=["submitted_at", "id"], name="innoscheck_app_submitted_idx"),
            # The dated budget events of a phase (budget status, burndown, median decision time) read
            # from small partial indexes holding what the figures need, not from every voucher.
            models.Index(
                fields=["phase", "approved_at"],
                include=["approved_amount"],
                condition=Q(approved_at__isnull=False),
                name="application_approved_idx",
            ),
            models.Index(
                fields=["phase", "grant_withdrawn_at"],
                include=["approved_amount"],
                condition=Q(grant_withdrawn_at__isnull=False),
                name="application_withdrawn_idx",
            ),
            models.Index(
                fields=["phase", "paid_at"],
                include=["approved_amount", "verified_amount"],
                condition=Q(paid_at__isnull=False),
                name="application_paid_idx",
            ),
            models.Index(
                fields=["phase", "decided_at"],
                include=["submitted_at"],
                condition=Q(decided_at__isnull=False),
                name="application_decided_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__lte=F("requested_amount")),
                name="application_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=Q(voucher_number__isnull=True) | Q(approved_amount__isnull=False),
                name="application_voucher_has_amount",
            ),
        ]

    def __str__(self):
        return self.voucher_number or self.title or _("Application %(pk)s") % {"pk": self.pk}

    def clean(self):
        if self.expert_days is not None and self.expert_days <= 0:
            raise ValidationError({"expert_days": _("Enter a number of days greater than zero.")})
        if self.daily_rate is not None and self.daily_rate <= 0:
            raise ValidationError({"daily_rate": _("Enter a daily rate greater than zero.")})


class PlannedStep(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="planned_steps")
    description = models.CharField(_("step"), max_length=300)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("planned step")
        verbose_name_plural = _("planned steps")
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="planned_step_end_after_start")]

    def __str__(self):
        return self.description

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})


class DeMinimisAid(models.Model):
    """A de-minimis aid the company declares to have received."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deminimis_aids")
    granted_on = models.DateField(_("granted on"))
    grantor = models.CharField(_("grantor"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)

    class Meta:
        ordering = ["granted_on", "pk"]
        verbose_name = _("de-minimis aid")
        verbose_name_plural = _("de-minimis aids")

    def __str__(self):
        return f"{self.granted_on} {self.grantor} {self.amount}"


class AttachmentKind(models.TextChoices):
    QUOTE = "quote", _("Expert's quote (PDF)")
    OTHER = "other", _("Other document")
    REPORT = "report", _("Expert's report")
    INVOICE = "invoice", _("Invoice (PDF)")


def attachment_path(instance, filename: str) -> str:
    """A random storage name; the user's file name is kept only as data (``original_name``)."""
    return f"innoscheck/attachments/{uuid.uuid4().hex}"


class Attachment(ChoiceLabelsMixin, models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class ApplicationEvent(WorkflowEvent):
    """The audit trail: every state change with who, when, from, to and a note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [models.Index(fields=["to_state", "at"])]

    def __str__(self):
        return f"{self.application_id}: {self.from_state} → {self.to_state}"
