"""One way to send the portal's e-mails: rendered from templates, in the recipient's language.

Every mail of the portal passes through :func:`send_mail_message`. The app that delivers mail (the
notifications app's outbox) registers itself with :func:`register_sender` in its ``ready()``: it
stores each mail as an outbox row inside the caller's transaction and hands it to a Celery task by id
after the commit, so a web request never talks to SMTP. Lower apps keep calling this module and never
import the outbox. Without a registered sender (a bare project without the notifications app) the
mail is sent at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Mail:
    """A rendered e-mail. ``kind`` names what it is about (for per-user choices and the outbox);
    ``attachments`` are (filename, content, mimetype) triples."""

    to: list[str]
    subject: str
    body: str
    html: str = ""
    language: str = ""
    kind: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


_sender: Callable[[Mail], None] | None = None


def register_sender(sender: Callable[[Mail], None] | None) -> None:
    """Make ``sender(mail)`` the way every mail leaves the portal (None: send at once)."""
    global _sender  # noqa: PLW0603 - one registry, set once at start-up
    _sender = sender


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render_templated_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    kind: str = "",
) -> Mail:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` (and ``_body.html`` if it exists)."""
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return Mail(
        to=list(to),
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.splitlines()),
        body=body,
        language=language,
        kind=kind or template,
        attachments=list(attachments or []),
    )


def send_templated_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    kind: str = "",
) -> None:
    """Render the mail (see :func:`render_templated_mail`) and send it through :func:`send_mail_message`."""
    send_mail_message(
        render_templated_mail(
            to=to, template=template, context=context, language=language, attachments=attachments, kind=kind
        )
    )


def send_mail_message(mail: Mail) -> None:
    """The one door every mail of the portal leaves by."""
    if _sender is None:
        build_message(mail).send()
    else:
        _sender(mail)


def build_message(mail: Mail, *, connection=None) -> EmailMultiAlternatives:
    """The Django message of ``mail`` (the outbox's task sends this through the real backend)."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        headers=mail.headers,
        connection=connection,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for filename, content, mimetype in mail.attachments:
        message.attach(filename, content, mimetype)
    return message
