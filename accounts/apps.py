from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.db.backends.signals import connection_created

        from .middleware import forget_totp_check
        from .privacy import add_sqlite_functions

        authenticator_added.connect(forget_totp_check, dispatch_uid="accounts.forget_totp_check.added")
        authenticator_removed.connect(forget_totp_check, dispatch_uid="accounts.forget_totp_check.removed")
        # Erasure scrubs free text with REGEXP_REPLACE, which SQLite (make run) lacks.
        connection_created.connect(add_sqlite_functions, dispatch_uid="accounts.sqlite_functions")
