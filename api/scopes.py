"""What a personal access token may be used for. Each endpoint names the scope it needs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    INDICATORS_READ = "indicators:read", _("Read indicators (ERDF output indicators and programme figures)")
    REPORTS_READ = "reports:read", _("List reports, see their status and download them")
    REPORTS_WRITE = "reports:write", _("Start reports")
    APPLICATIONS_READ = "applications:read", _("Read voucher applications")
    COMPANIES_READ = "companies:read", _("Read company profiles")
    COACHING_READ = "coaching:read", _("Read coaching cases and sessions")
    COACHING_WRITE = "coaching:write", _("Request coaching")
