from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digitalfabrik.choices import ChoiceLabelsMixin
from programme.models import WorkflowEvent


class ReportKind(models.TextChoices):
    INDICATORS = "indicators", _("Indicator report")
    FINANCIAL = "financial", _("Financial report")
    DE_MINIMIS = "de_minimis", _("De-minimis register")


class PeriodPreset(models.TextChoices):
    QUARTER = "quarter", _("Calendar quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")
    PHASE = "phase", _("Whole phase")
    CUSTOM = "custom", _("Custom period")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    COLLECTING = "collecting", _("Collecting data")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", pgettext_lazy("report status", "Done")
    FAILED = "failed", _("Failed")


RUNNING_STATUSES = (ReportStatus.COLLECTING, ReportStatus.RENDERING)
FINISHED_STATUSES = (ReportStatus.DONE, ReportStatus.FAILED)


def report_file_path(instance, filename: str) -> str:
    # One fixed name per report: a second worker finishing a report overwrites, never adds, a file.
    return f"reports/{instance.pk}/report-{instance.pk}.pdf"


class Report(ChoiceLabelsMixin, models.Model):
    """A PDF report for the funders, built by a Celery worker; status only changes in services."""

    kind = models.CharField(_("report type"), max_length=20, choices=ReportKind.choices)
    phase = models.ForeignKey(
        "programme.FundingPhase", verbose_name=_("funding phase"), on_delete=models.PROTECT, related_name="reports"
    )
    preset = models.CharField(_("period"), max_length=20, choices=PeriodPreset.choices, default=PeriodPreset.PHASE)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="de")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("report", "requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_reports",
        help_text=_("Empty for reports the schedule produced."),
    )
    requested_at = models.DateTimeField(pgettext_lazy("report", "requested at"), auto_now_add=True)
    notify_funders = models.BooleanField(_("e-mail the funders when done"), default=False, editable=False)

    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED, editable=False
    )
    failure_reason = models.TextField(_("reason for failure"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)

    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200, blank=True, editable=False)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DONE) | (~Q(file="") & Q(checksum__regex=r"^[0-9a-f]{64}$")),
                name="report_done_has_file_and_checksum",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.FAILED) | ~Q(failure_reason=""),
                name="report_failed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.period_start:%Y-%m-%d}-{self.period_end:%Y-%m-%d}-{self.pk}.pdf"


class ReportEvent(WorkflowEvent):
    """The audit trail of a report: every status change with who (empty: the system), when and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report_id}: {self.from_state} → {self.to_state}"


class ReportDownload(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")

    def __str__(self):
        return f"{self.report_id} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class SupportKind(models.IntegerChoices):
    """The kinds of support a company receives, in the order a company's snapshot is taken from
    (a grant's before a coaching case's before an event's or project's)."""

    GRANT = 1, _("Voucher approved")
    COACHING = 2, _("Coaching session held")
    EVENT = 3, _("Event attended")
    PROJECT = 4, _("Project (started or met)")


class SupportFact(models.Model):
    """One dated support of one company: the maintained base of the enterprise indicators.

    Written by reporting.facts in the same transaction as the workflow step that caused it (a
    subscriber of programme.events), or all at once by ``manage.py rebuild_indicators``; both read the
    same source rows with the same SQL. ``size_class`` and ``city`` are the company's at the time of
    the support: the voucher's snapshot at approval, the coaching case's at its first held session,
    else the company's history as of that moment.
    """

    # The object whose change (re)writes this row: "application:<id>", "session:<id>", "event:<id>",
    # "project:<id>"; and the row's own identity within it.
    scope = models.CharField(max_length=40, db_index=True)
    source = models.CharField(max_length=60, unique=True)
    kind = models.PositiveSmallIntegerField(choices=SupportKind.choices)
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="+")
    phase = models.ForeignKey("programme.FundingPhase", on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    day = models.DateField()
    size_class = models.CharField(max_length=10)
    city = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("support fact")
        verbose_name_plural = _("support facts")
        indexes = [
            # The indicator queries read only these indexes (index-only scans, in the order they need).
            models.Index(
                fields=["company", "kind", "at", "id"],
                include=["day", "phase", "size_class", "city"],
                name="supportfact_company_order",
            ),
            models.Index(fields=["kind", "day"], include=["company"], name="supportfact_kind_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()} {self.company_id}"


class CompanySupport(models.Model):
    """Per company and funding phase: the first support of each kind within the phase, with the size
    class and city the company had at it (those of the support fact).

    The figures of a range that starts with the phase (the dashboard's whole phase, every report's
    cumulative column) read these rows, one per supported company, instead of every support fact:
    a company counts as supported by the end of the range once one of its first days lies within it,
    and its size class and city are those of its first support of the first kind (grant before
    coaching before event before project), as when read from the facts. Maintained by reporting.facts
    together with the facts, in the same transaction; ``rebuild_indicators`` writes them anew.
    """

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey("programme.FundingPhase", on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField()
    # The first grant of the phase or held session within its dates: the day the new-enterprise rule uses.
    first_support_day = models.DateField(null=True)
    grant_day = models.DateField(null=True)
    grant_size_class = models.CharField(max_length=10, blank=True)
    grant_city = models.CharField(max_length=100, blank=True)
    coaching_day = models.DateField(null=True)
    coaching_size_class = models.CharField(max_length=10, blank=True)
    coaching_city = models.CharField(max_length=100, blank=True)
    event_day = models.DateField(null=True)
    event_size_class = models.CharField(max_length=10, blank=True)
    event_city = models.CharField(max_length=100, blank=True)
    project_day = models.DateField(null=True)
    project_size_class = models.CharField(max_length=10, blank=True)
    project_city = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("support of a company in a phase")
        verbose_name_plural = _("support of companies in phases")
        constraints = [models.UniqueConstraint(fields=["phase", "company"], name="companysupport_once")]
        indexes = [models.Index(fields=["phase", "first_day"], name="companysupport_phase_day")]

    def __str__(self):
        return f"{self.company_id} {self.phase_id} {self.first_day}"


class SupportDay(models.Model):
    """How many support facts of each kind fall on each day: the additive figures (sessions held) as a
    sum over the days of a range instead of a count over every fact.

    Maintained by reporting.facts with the facts, in the same transaction: each rewrite of an object's
    facts adds the difference per kind and day (an increment, so concurrent steps on the same day add
    up); ``rebuild_indicators`` counts them anew.
    """

    kind = models.PositiveSmallIntegerField(choices=SupportKind.choices)
    day = models.DateField()
    facts = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("support facts of a day")
        verbose_name_plural = _("support facts per day")
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="supportday_once")]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()} {self.facts}"


class EnterpriseTally(models.Model):
    """How many companies a range's enterprise figures count, per combination of what they are counted
    by: the figures of the dashboard's ranges as a sum over a few hundred rows instead of a count over
    every supported company.

    One set of rows per funding phase and range the dashboard and the reports offer for it (every
    calendar quarter, half-year and year that overlaps the phase, the phase itself, and each of those
    cumulatively since the phase began: ``reporting.tallies.ranges``). Maintained by reporting.tallies
    in the same transaction as the support facts: each step adds the difference it made to the counts
    of the companies it concerns (an increment, like ``SupportDay``); a change of a company's founding
    date does the same; ``rebuild_indicators`` counts them anew with the SQL of the figures.
    """

    phase = models.ForeignKey("programme.FundingPhase", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    city = models.CharField(max_length=100)
    size_class = models.CharField(max_length=10)
    grant = models.BooleanField()
    non_financial = models.BooleanField()
    coaching = models.BooleanField()
    new = models.BooleanField()
    founding_unconfirmed = models.BooleanField()
    companies = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("enterprise tally")
        verbose_name_plural = _("enterprise tallies")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "phase",
                    "start",
                    "end",
                    "city",
                    "size_class",
                    "grant",
                    "non_financial",
                    "coaching",
                    "new",
                    "founding_unconfirmed",
                ],
                name="enterprisetally_once",
            )
        ]

    def __str__(self):
        return f"{self.phase_id} {self.start}–{self.end} {self.city} {self.companies}"


class PersonContact(models.Model):
    """One person (by lower-cased e-mail) at one held session or attended event, on its day: the
    maintained base of "people reached". Written by reporting.contacts with the support facts, in the
    same transaction, rewritten per session or event ("session:<id>", "event:<id>")."""

    scope = models.CharField(max_length=40, db_index=True)
    email = models.CharField(max_length=254)
    day = models.DateField()

    class Meta:
        verbose_name = _("person reached")
        verbose_name_plural = _("persons reached")
        indexes = [
            models.Index(fields=["day", "email"], name="personcontact_day"),
            models.Index(fields=["email", "day"], name="personcontact_email"),
        ]

    def __str__(self):
        return f"{self.day} {self.email}"


class FirstContact(models.Model):
    """Per funding phase and person: the day of the person's first contact since the phase began. The
    people reached in a range that starts with the phase are those whose day lies on or before its end:
    one count over an index instead of a distinct count over every contact."""

    phase = models.ForeignKey("programme.FundingPhase", on_delete=models.CASCADE, related_name="+")
    email = models.CharField(max_length=254)
    day = models.DateField()

    class Meta:
        verbose_name = _("first contact of a person in a phase")
        verbose_name_plural = _("first contacts of persons in phases")
        constraints = [models.UniqueConstraint(fields=["phase", "email"], name="firstcontact_once")]
        indexes = [models.Index(fields=["phase", "day"], name="firstcontact_phase_day")]

    def __str__(self):
        return f"{self.phase_id} {self.day} {self.email}"


class VoucherFigures(models.Model):
    """The voucher figures one day adds: counts of the dated steps that fall on it and their amounts,
    and the change of the reserved amount. The base of ``VoucherDay`` (abstract)."""

    submitted = models.IntegerField(default=0)
    approved = models.IntegerField(default=0)
    # Rejected at the decision (never approved); a rejection after approval withdraws the grant.
    rejected = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    paid = models.IntegerField(default=0)
    approved_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    released_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    paid_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # + the approved amount on the day of approval, − it on the day the grant was withdrawn or paid.
    reserved_change = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True


class VoucherEntry(VoucherFigures):
    """What one voucher adds to one day of its phase: the maintained base of ``VoucherDay``.

    Written by reporting.vouchers in the same transaction as each step of the voucher's workflow,
    rewritten from the voucher's dated fields (which are set once and never overwritten). The
    application is kept by id: the figures of a past day stay what they were."""

    application_id = models.BigIntegerField(db_index=True)
    phase = models.ForeignKey("programme.FundingPhase", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("voucher figures of a voucher and day")
        verbose_name_plural = _("voucher figures of vouchers and days")

    def __str__(self):
        return f"{self.application_id} {self.day}"


class VoucherDay(VoucherFigures):
    """The voucher figures of a phase per day (sums of ``VoucherEntry``): a range's figures and the
    budget at the end of a day as a sum over at most a few hundred rows instead of a pass over every
    voucher. Maintained with the entries, as an increment (concurrent steps on the same day add up);
    ``rebuild_indicators`` sums them anew."""

    phase = models.ForeignKey("programme.FundingPhase", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("voucher figures of a day")
        verbose_name_plural = _("voucher figures per day")
        constraints = [models.UniqueConstraint(fields=["phase", "day"], name="voucherday_once")]

    def __str__(self):
        return f"{self.phase_id} {self.day}"
