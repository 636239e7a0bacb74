from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")

    def ready(self):
        from accounts import privacy
        from programme import events

        from . import privacy as companies_privacy
        from . import services

        privacy.register(companies_privacy.PART)
        events.subscribe(services.on_event)
