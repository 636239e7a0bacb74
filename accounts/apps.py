from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added, authenticator_removed

        from .middleware import forget_totp_check

        authenticator_added.connect(forget_totp_check, dispatch_uid="accounts.forget_totp_check.added")
        authenticator_removed.connect(forget_totp_check, dispatch_uid="accounts.forget_totp_check.removed")
