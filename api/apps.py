from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from accounts import privacy

        from . import privacy as api_privacy

        privacy.register(api_privacy.PART)
