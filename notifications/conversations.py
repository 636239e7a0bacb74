"""Conversations on coaching cases and voucher applications: who sees, who writes, what it tells.

A case's thread is between the company's members and its coaches (programme staff who look after
the company read and write too); an application's between the company's members and the staff who
review it. The programme side may write internal notes, never shown to the company. A new message
tells the other side (notifications.table: "message.case", "message.application").
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions as roles
from coaching import permissions as coaching_permissions
from coaching.models import Case
from companies.permissions import is_member
from innoscheck import permissions as innoscheck_permissions
from innoscheck.files import validate_upload
from innoscheck.models import Application, AttachmentKind

from .models import Message, MessageAttachment
from .services import notify
from .table import COACHES, COMPANY, PARTNER_STAFF

MAX_FILES = 5


def is_company_side(user, subject) -> bool:
    return roles.is_company_user(user) and is_member(user, subject.company)


def is_programme_side(user, subject) -> bool:
    if isinstance(subject, Case):
        return coaching_permissions.is_case_coach(user, subject) or (
            roles.is_programme_staff(user) and coaching_permissions.can_view_case(user, subject)
        )
    return innoscheck_permissions.reviews(user, subject)


def can_view_thread(user, subject) -> bool:
    if isinstance(subject, Application) and subject.status == "draft":
        return False
    return is_company_side(user, subject) or is_programme_side(user, subject)


def can_write_internal(user, subject) -> bool:
    return is_programme_side(user, subject)


def thread_url(subject) -> str:
    if isinstance(subject, Case):
        return reverse("notifications:case_thread", args=[subject.pk])
    return reverse("notifications:application_thread", args=[subject.pk])


def thread_messages(*, user, subject):
    """The messages ``user`` may see, oldest first, with their files (internal notes only for the programme side)."""
    field = "case" if isinstance(subject, Case) else "application"
    messages = Message.objects.filter(**{field: subject}).select_related("author").prefetch_related("attachments")
    if not can_write_internal(user, subject):
        messages = messages.filter(internal=False)
    return messages


def can_download(user, attachment: MessageAttachment) -> bool:
    message = attachment.message
    subject = message.case or message.application
    if not can_view_thread(user, subject):
        return False
    return not message.internal or can_write_internal(user, subject)


@transaction.atomic
def message_post(*, subject, author, text: str, internal: bool = False, files: list | None = None) -> Message:
    """Write a message (with up to MAX_FILES PDF/PNG/JPEG files, checked like the application's) and
    tell the other side; an internal note tells the company nothing."""
    files = files or []
    if not can_view_thread(author, subject):
        raise PermissionDenied
    if internal and not can_write_internal(author, subject):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write a message."))
    if len(files) > MAX_FILES:
        raise ValidationError(_("At most %(count)d files per message.") % {"count": MAX_FILES})
    checked = [(upload, validate_upload(upload, kind=AttachmentKind.OTHER)) for upload in files]
    is_case = isinstance(subject, Case)
    message = Message(
        case=subject if is_case else None,
        application=None if is_case else subject,
        author=author,
        text=text.strip(),
        internal=internal,
    )
    message.full_clean()
    message.save()
    for upload, content_type in checked:
        attachment = MessageAttachment(
            message=message,
            original_name=(upload.name or "upload")[-255:],
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.full_clean()
        attachment.save()
    if not internal:
        # The other side is told: the programme side when the company writes, else the company.
        skip = (COMPANY,) if is_company_side(author, subject) else (COACHES if is_case else PARTNER_STAFF,)
        notify(
            "message.case" if is_case else "message.application",
            by=author,
            skip=skip,
            subject=subject,
            case=subject if is_case else None,
            text=message.text[:500],
            url=thread_url(subject),
        )
    return message
