from django.apps import AppConfig
from django.db.backends.signals import connection_created


class DigitalFabrikConfig(AppConfig):
    """The project package as an app: what belongs to no single app of the portal."""

    name = "digitalfabrik"
    verbose_name = "Digitale Fabrik"

    def ready(self):
        from .pagecache import install_write_tracking

        connection_created.connect(install_write_tracking, dispatch_uid="digitalfabrik.pagecache")
