"""The programme's shared vocabulary: places, size classes and topics, used by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    DORTMUND = "dortmund", "Dortmund"
    BOCHUM = "bochum", "Bochum"
    HAGEN = "hagen", "Hagen"
    OTHER = "other", _("Other place in the programme region")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium-sized enterprise")
    NOT_SME = "not_sme", _("Not an SME")


class Topic(models.TextChoices):
    DIGITAL_SALES = "digital_sales", _("Digital sales")
    ASSISTANCE_SYSTEMS = "assistance_systems", _("Digital assistance systems in production")
    ADDITIVE_MANUFACTURING = "additive_manufacturing", _("Additive manufacturing (3D printing)")
    IT_SECURITY = "it_security", _("IT security")
    AI_DATA = "ai_data", _("AI and data analysis")
    INVENTORY_MANAGEMENT = "inventory_management", _("Digital inventory management")
    ENERGY_MANAGEMENT = "energy_management", _("Energy management")
    OTHER = "other", _("Other")
