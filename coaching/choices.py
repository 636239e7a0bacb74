"""Choice lists of the coaching side. ``Topic`` is the programme's topic list, shared with InnoScheck."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    DIGITAL_SALES = "digital_sales", _("Digital sales")
    ASSISTANCE_SYSTEMS = "assistance_systems", _("Digital assistance systems in production")
    ADDITIVE_MANUFACTURING = "additive_manufacturing", _("Additive manufacturing (3D printing)")
    IT_SECURITY = "it_security", _("IT security")
    AI_DATA = "ai_data", _("AI and data analysis")
    INVENTORY_MANAGEMENT = "inventory_management", _("Digital inventory management")
    ENERGY_MANAGEMENT = "energy_management", _("Energy management")
    OTHER = "other", _("Other")


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


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SITE_VISIT = "site_visit", _("Site visit")
    INFO_EVENING = "info_evening", _("Info evening")
