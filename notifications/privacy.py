"""The notifications app's part of a person's data export and erasure (accounts.privacy; see
NotificationsConfig.ready()).

Notifications and notification settings are the person's own: exported, and deleted on erasure. The
outbox keeps every mail the portal sent: erasure pseudonymises the recipient and takes the person's
name, addresses and phone out of subject and text; a mail to them that is still waiting is not sent.
Messages stay in their conversations (the other side keeps its record); erasure takes the person's
name, addresses and phone out of the texts and file names of the threads of their companies.
"""

from django.db.models import Q

from accounts.privacy import Export, Part, Subject, person_pseudonym_email

from .models import Message, MessageAttachment, Notification, OutboxMail, OutboxStatus, Preference


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
            ],
            "notifications.json": list(
                Notification.objects.filter(user=subject.user)
                .order_by("created_at", "pk")
                .values("kind", "title", "text", "url", "created_at", "read_at")
            ),
            "notification_settings.json": dict(
                Preference.objects.filter(user=subject.user).values_list("kind", "delivery")
            ),
            "messages_written.json": list(
                Message.objects.filter(author=subject.user, internal=False)
                .order_by("created_at", "pk")
                .values("case_id", "application_id", "text", "created_at")
            ),
        }
    )


def erase(subject: Subject) -> None:
    Notification.objects.filter(user=subject.user).delete()
    Preference.objects.filter(user=subject.user).delete()
    threads = Message.objects.filter(
        Q(case__company_id__in=subject.company_ids)
        | Q(application__company_id__in=subject.company_ids)
        | Q(author=subject.user)
    )
    subject.scrub(threads, ["text"])
    subject.scrub(MessageAttachment.objects.filter(message__in=threads), ["original_name"])
    mails = _mails(subject)
    mails.filter(status=OutboxStatus.PENDING).update(status=OutboxStatus.FAILED, last_error="recipient erased")
    subject.scrub(mails, ["subject", "body_text", "body_html"])
    for email in subject.emails:
        OutboxMail.objects.filter(recipient__iexact=email).update(recipient=person_pseudonym_email(email))


PART = Part(name="notifications", export=export, erase=erase)
