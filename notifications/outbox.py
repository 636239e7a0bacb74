"""The outbox: every mail is a row first, then a Celery task by id sends it (with retries).

``mail_queue`` is registered as digitalfabrik.mail's sender (apps.py), so every mail the portal
sends ends up here, inside the transaction of the change that caused it. After the commit
``deliver_mail`` gets the row's id (digitalfabrik.queueing: an unreachable broker is logged, not
raised); the sweep (tasks.sweep_undelivered) sends again what no worker has taken.
"""

import base64
import datetime
import logging
import smtplib
from dataclasses import replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digitalfabrik.mail import Mail, build_message
from digitalfabrik.queueing import send_on_commit, send_task

from .models import Delivery, OutboxMail, OutboxStatus
from .services import CHOOSABLE, delivery_for, unsubscribe_url

logger = logging.getLogger(__name__)

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"


def as_chosen(mail: Mail, *, user) -> Mail | None:
    """``mail`` as ``user`` chose for its kind, when an app sends a mail of a notification kind itself
    (a session invitation, the mail naming the coach, the funders' report mail): None if they chose
    the digest or the portal only (the portal's notification tells them), else with the one-click
    unsubscribe link for the kind and the List-Unsubscribe headers. The notifications' own mails
    (they carry the headers already) and mails of no choosable kind pass unchanged."""
    if user is None or mail.kind not in CHOOSABLE or "List-Unsubscribe" in mail.headers:
        return mail
    if delivery_for(user=user, kind=mail.kind) != Delivery.IMMEDIATE:
        return None
    link = unsubscribe_url(user=user, kind=mail.kind)
    with translation.override(mail.language or settings.LANGUAGE_CODE):
        footer = _("No more e-mails of this kind (one click, no login): %(url)s") % {"url": link}
    headers = {**mail.headers, "List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return replace(mail, body=f"{mail.body.rstrip()}\n\n-- \n{footer}\n", headers=headers)


def mail_queue(mail: Mail, *, user=None) -> list[OutboxMail]:
    """Write one outbox row per recipient of ``mail`` (as each chose, see ``as_chosen``) and send each to
    the worker after the commit."""
    users = {
        account.email.lower(): account
        for account in get_user_model().objects.filter(email__in=[address.lower() for address in mail.to])
    }
    rows = []
    for address in dict.fromkeys(mail.to):
        recipient = user or users.get(address.lower())
        chosen = as_chosen(mail, user=recipient)
        if chosen is None:
            continue
        row = OutboxMail(
            user=recipient,
            recipient=address,
            kind=chosen.kind[:100],
            language=chosen.language or settings.LANGUAGE_CODE,
            subject=chosen.subject[:998],
            body_text=chosen.body,
            body_html=chosen.html,
            headers=dict(chosen.headers),
            attachments=[
                {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
                for name, content, mimetype in chosen.attachments
            ],
        )
        row.full_clean()
        row.save()
        rows.append(row)
    from .tasks import deliver_mail

    for row in rows:
        send_on_commit(deliver_mail, row.pk)
    return rows


def _as_mail(row: OutboxMail) -> Mail:
    return Mail(
        to=[row.recipient],
        subject=row.subject,
        body=row.body_text,
        html=row.body_html,
        language=row.language,
        kind=row.kind,
        headers=row.headers,
        attachments=[
            (item["filename"], base64.b64decode(item["content"]), item["mimetype"]) for item in row.attachments
        ],
    )


def is_permanent(error: Exception) -> bool:
    """A 5xx answer is final (the address or the message is refused); anything else may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def backoff(attempts: int) -> datetime.timedelta:
    """OUTBOX_RETRY_BASE_SECONDS (a minute) after the first failed attempt, doubled after each further
    one, at most an hour."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 3600))


def outbox_deliver(*, mail_id: int) -> str:
    """Send one pending row through the real backend (EMAIL_BACKEND, EMAIL_TIMEOUT); idempotent.

    The row stays locked while it is sent, so a retry and the sweep never send it twice. Returns
    SENT, RETRY (a temporary failure: try again after ``backoff``), FAILED (permanent, or out of
    attempts) or SKIPPED (already sent or failed, or another worker is sending it).
    """
    with transaction.atomic():
        row = OutboxMail.objects.select_for_update(skip_locked=True).filter(pk=mail_id).first()
        if row is None or row.status != OutboxStatus.PENDING:
            return SKIPPED
        now = timezone.now()
        row.attempts += 1
        row.last_attempt_at = now
        try:
            build_message(_as_mail(row), connection=get_connection(timeout=settings.EMAIL_TIMEOUT)).send()
        except (smtplib.SMTPException, OSError) as error:
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if is_permanent(error) or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                row.status = OutboxStatus.FAILED
                row.next_attempt_at = None
                result = FAILED
                logger.error("mail %s to %s failed for good: %s", row.pk, row.recipient, row.last_error)
            else:
                row.next_attempt_at = now + backoff(row.attempts)
                result = RETRY
                logger.warning("mail %s to %s: attempt %s failed: %s", row.pk, row.recipient, row.attempts, error)
        else:
            row.status = OutboxStatus.SENT
            row.sent_at = now
            row.next_attempt_at = None
            row.last_error = ""
            result = SENT
        row.save()
    return result


def outbox_resend(*, mail_ids: list[int]) -> int:
    """Queue failed (or pending) mails again with fresh attempts (the admin's "resend" action)."""
    with transaction.atomic():
        rows = list(
            OutboxMail.objects.select_for_update()
            .filter(pk__in=mail_ids)
            .exclude(status=OutboxStatus.SENT)
            .values_list("pk", flat=True)
        )
        OutboxMail.objects.filter(pk__in=rows).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None, last_error=""
        )
        from .tasks import deliver_mail

        for pk in rows:
            send_on_commit(deliver_mail, pk)
    return len(rows)


def outbox_requeue_pending(*, now: datetime.datetime | None = None) -> list[int]:
    """Send the task again for pending rows no worker has sent: due for their retry, or never taken.

    A row is due when its backoff has passed, or, never tried, when it was written over
    OUTBOX_REQUEUE_AFTER ago (the first task was lost: broker down at the commit, worker died).
    A duplicate task does nothing (``outbox_deliver`` skips rows that are no longer pending).
    """
    from .tasks import deliver_mail

    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER)
    due = list(
        OutboxMail.objects.filter(status=OutboxStatus.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lt=stale))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    return [pk for pk in due if send_task(deliver_mail, pk)]
