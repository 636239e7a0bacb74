"""The outbox's part of a person's data export and erasure (accounts.privacy; see NotificationsConfig.ready()).

The outbox keeps every mail the portal sent. Erasure pseudonymises the recipient and takes the person's
name, addresses and phone out of subject and text; a mail to them that is still waiting is not sent.
"""

from django.db.models import Q

from accounts.privacy import Export, Part, Subject, person_pseudonym_email

from .models import OutboxMail, OutboxStatus


def _mails(subject: Subject):
    return OutboxMail.objects.filter(Q(user=subject.user) | subject.email_q("recipient"))


def export(subject: Subject) -> Export:
    mails = _mails(subject).order_by("created_at", "pk")
    return Export(
        {
            "emails_to_you.json": [
                {
                    "recipient": mail.recipient,
                    "kind": mail.kind,
                    "subject": mail.subject,
                    "text": mail.body_text,
                    "status": mail.status,
                    "created_at": mail.created_at,
                    "sent_at": mail.sent_at,
                }
                for mail in mails
            ]
        }
    )


def erase(subject: Subject) -> None:
    mails = _mails(subject)
    mails.filter(status=OutboxStatus.PENDING).update(status=OutboxStatus.FAILED, last_error="recipient erased")
    subject.scrub(mails, ["subject", "body_text", "body_html"])
    for email in subject.emails:
        OutboxMail.objects.filter(recipient__iexact=email).update(recipient=person_pseudonym_email(email))


PART = Part(name="notifications", export=export, erase=erase)
