import datetime
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digitalfabrik.choices import ChoiceLabelsMixin
from programme.choices import Region, SizeClass, Topic
from programme.models import WorkflowEvent

from .choices import CaseOutcome, CaseStatus, ContactForm, EventKind, SessionStatus

MAX_SESSION_HOURS = Decimal("12")
# How long after recording a held session its coach may still correct the record.
CORRECTION_PERIOD = datetime.timedelta(days=14)


class Case(ChoiceLabelsMixin, models.Model):
    """A company's request for coaching and everything the coach does about it."""

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="coaching_cases"
    )
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    description = models.TextField(_("description of the need"))
    preferred_form = models.CharField(_("preferred form"), max_length=20, choices=ContactForm.choices)
    preferred_dates = models.CharField(_("preferred dates"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.NEW, editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=CaseOutcome.choices, blank=True, editable=False)
    outcome_note = models.TextField(_("outcome note"), blank=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_cases",
        editable=False,
    )
    added_coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("added coaches"), blank=True, related_name="added_coaching_cases"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_coaching_cases",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # The first held session: the case's non-financial support begins (kept; reports use the snapshot).
    first_held_at = models.DateTimeField(_("first session held at"), null=True, blank=True, editable=False)
    # The company as it was when it received the support (its first held session): reports count it by these, so a
    # later move or growth does not change a period already reported. Empty until then.
    support_size_class = models.CharField(
        _("SME class at the time of support"), max_length=10, choices=SizeClass.choices, blank=True, editable=False
    )
    support_region = models.CharField(
        _("region at the time of support"), max_length=20, choices=Region.choices, blank=True, editable=False
    )
    support_city = models.CharField(_("city at the time of support"), max_length=100, blank=True, editable=False)
    support_partner = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=_("responsible partner at the time of support"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coaching case")
        verbose_name_plural = _("coaching cases")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=CaseStatus.CLOSED) & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(status=CaseStatus.CLOSED) & Q(outcome="") & Q(closed_at__isnull=True)),
                name="case_outcome_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["coach", "status"]),
            # The caseload's newest-first page: read in index order, no sort over all visible cases.
            models.Index(fields=["created_at"], name="coaching_case_created_idx"),
        ]

    def __str__(self):
        return f"{self.company} – {self.get_topic_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def is_coached_by(self, user) -> bool:
        """The case's coach or a coach added to it (coaching.permissions.is_case_coach adds the role check).

        A method on the case so that innoscheck, which may not import coaching, asks the same question.
        """
        return self.coach_id == user.pk or self.added_coaches.filter(pk=user.pk).exists()


class CaseStatusChange(WorkflowEvent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_state = models.CharField(_("from"), max_length=30, choices=CaseStatus.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=CaseStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.case}: {self.from_state} → {self.to_state}"


class CaseAssignment(models.Model):
    """One entry of a case's coach history: the lead coach assigned (or replaced), or a coach added."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("lead coach assigned")
        ADDED = "added", _("further coach added")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEAD)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="+"
    )
    previous_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous coach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("coach assignment")
        verbose_name_plural = _("coach assignments")

    def __str__(self):
        return f"{self.case}: {self.coach}"


class Session(ChoiceLabelsMixin, models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sessions")
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED, editable=False
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_SESSION_HOURS)],
    )
    form = models.CharField(_("form"), max_length=20, choices=ContactForm.choices)
    location = models.CharField(_("place or link"), max_length=300, blank=True)
    shared_notes = models.TextField(_("notes shared with the company"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The invitation's SEQUENCE (RFC 5545): each reschedule or cancellation sends a higher one.
    sequence = models.PositiveIntegerField(_("invitation revision"), default=0, editable=False)
    held_recorded_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancellation_note = models.TextField(_("reason for the cancellation"), blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0) & Q(duration_hours__lte=MAX_SESSION_HOURS),
                name="session_duration_range",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status", "starts_at"]),
            # Held sessions by date across all cases: the funder dashboard's and people reached.
            models.Index(fields=["status", "starts_at"], name="session_status_starts"),
        ]

    def __str__(self):
        return f"{self.case} – {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def uid(self) -> str:
        """The invitation's UID: the same for every update and the cancellation of this session."""
        return f"coaching-session-{self.pk}@digitale-fabrik"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(hours=float(self.duration_hours))


class SessionCorrection(models.Model):
    """A coach's correction of a held session: what the record said before and after, who and when."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="corrections")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    before = models.JSONField(_("before"), encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), encoder=DjangoJSONEncoder)
    note = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("session correction")
        verbose_name_plural = _("session corrections")

    def __str__(self):
        return f"{self.session}: {self.at:%Y-%m-%d %H:%M}"

    FIELD_LABELS = {
        "starts_at": _("date and time"),
        "duration_hours": _("duration (hours)"),
        "form": _("form"),
        "location": _("place or link"),
        "shared_notes": _("notes shared with the company"),
        "internal_notes": _("internal notes"),
        "participants": _("participants"),
        "next_steps": _("next steps"),
    }

    def changes(self) -> list[tuple[str, object, object]]:
        """(label, before, after) of every part of the record the correction changed."""
        return [
            (label, self.before.get(key), self.after.get(key))
            for key, label in self.FIELD_LABELS.items()
            if self.before.get(key) != self.after.get(key)
        ]


class SessionParticipant(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint("session", Lower("email"), name="session_participant_unique_email"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class NextStep(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="next_steps")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="next_steps")
    description = models.CharField(_("next step"), max_length=500)
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["done", "due_date", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        indexes = [models.Index(fields=["case", "done", "due_date"])]

    def __str__(self):
        return self.description


class Project(ChoiceLabelsMixin, models.Model):
    """A cross-company digitalisation project: several companies, one topic."""

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    description = models.TextField(_("description"), blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="coaching_projects"
    )
    companies = models.ManyToManyField(
        "companies.Company", verbose_name=_("participating companies"), related_name="coaching_projects"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.title


class ProjectMeeting(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("project meeting")
        verbose_name_plural = _("project meetings")

    def __str__(self):
        return f"{self.project} – {self.starts_at:%Y-%m-%d}"


class Event(ChoiceLabelsMixin, models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    organiser = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="coaching_events",
    )
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive")]

    def __str__(self):
        return self.title

    @property
    def has_started(self) -> bool:
        """Once an event has begun it is closed for registration and its attendance can be recorded."""
        return self.starts_at <= timezone.now()


class EventRegistration(ChoiceLabelsMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    # Yes, no, or unknown (None) until the organisers record who came.
    attended = models.BooleanField(
        _("attended"),
        null=True,
        default=None,
        choices=[(None, _("unknown")), (True, _("yes")), (False, _("no"))],
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint("event", Lower("email"), name="event_registration_unique_email"),
        ]
        # The indicator figures count each event's registrations and attendance from this index alone.
        indexes = [models.Index(fields=["event", "attended"], name="eventregistration_attended")]

    def __str__(self):
        return f"{self.name} @ {self.event}"
