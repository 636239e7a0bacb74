from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The programme's core: vocabulary, places and partners, responsibility, funding phases, workflows.

    Every other app builds on this one; it imports none of them.
    """

    name = "programme"
    verbose_name = _("Programme")
