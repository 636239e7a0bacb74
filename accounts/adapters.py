from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from companies.services import invitations_accept_pending


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails name the portal ("Digitale Fabrik"), not the host the request came to."""
        site = SimpleNamespace(name=settings.SITE_NAME, domain=settings.SITE_NAME)
        return super().send_mail(template_prefix, email, {**context, "current_site": site})

    def save_user(self, request, user, form, commit=True):
        """A new user keeps the language they signed up in, so the portal's e-mails reach them in it."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def confirm_email(self, request, email_address) -> bool:
        """Verify the address; an invited person then joins every company that invited this address."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            invitations_accept_pending(user=email_address.user, email=email_address.email)
        return confirmed
