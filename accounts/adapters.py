from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

from companies.services import invitations_accept_pending
from digitalfabrik.mail import Mail, send_mail_message


class AccountAdapter(DefaultAccountAdapter):
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (address verification, password reset, login codes) leave by the portal's one
        door (digitalfabrik.mail), so they are outbox rows sent by the worker like every other mail. They
        name the portal ("Digitale Fabrik"), not the host the request came to."""
        request = allauth_context.request
        site = SimpleNamespace(name=settings.SITE_NAME, domain=settings.SITE_NAME)
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, **context, "current_site": site},
        )
        body = message.body
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        if message.content_subtype == "html":
            body, html = strip_tags(body), body
        send_mail_message(
            Mail(
                to=list(message.to),
                subject=message.subject,
                body=body,
                html=html,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                kind=template_prefix,
                headers=dict(message.extra_headers),
            )
        )
