from django.apps import AppConfig


class DigitalFabrikConfig(AppConfig):
    """The project package as an app: what belongs to no single app of the portal."""

    name = "digitalfabrik"
    verbose_name = "Digitale Fabrik"
