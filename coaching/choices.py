"""Choice lists of the coaching side (the programme's topics are in programme.choices)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContactForm(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_COMPANY = "waiting_for_company", _("Waiting for company")
    CONCEPT_READY = "concept_ready", _("Concept ready")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    REFERRED_TO_VOUCHER = "referred_to_voucher", _("Referred to InnoScheck voucher")
    REFERRED_TO_PARTNER = "referred_to_partner", _("Referred to another partner")
    NO_FURTHER_NEED = "no_further_need", _("No further need")
    CANCELLED = "cancelled", _("Cancelled by the company")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("session", "Cancelled")


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SITE_VISIT = "site_visit", _("Site visit")
    INFO_EVENING = "info_evening", _("Info evening")
