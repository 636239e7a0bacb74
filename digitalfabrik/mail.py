"""One way to send the portal's e-mails: rendered from templates, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_templated_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and send them.

    ``attachments`` are (filename, content, mimetype) triples.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.splitlines()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
