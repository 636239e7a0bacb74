from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from accounts import privacy
        from digitalfabrik import mail
        from programme import events

        from . import outbox, services
        from . import privacy as notifications_privacy

        privacy.register(notifications_privacy.PART)

        # Every mail of the portal (digitalfabrik.mail) now goes through the outbox.
        mail.register_sender(outbox.mail_queue)
        # Every published event is looked up in notifications.table.
        events.subscribe(services.on_event)
