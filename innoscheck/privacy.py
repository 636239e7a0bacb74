"""The vouchers' part of a person's data export and erasure (accounts.privacy; see InnoscheckConfig.ready())."""

from django.db.models import Q
from django.utils.text import get_valid_filename

from accounts.privacy import Export, Part, Subject, row_fields

from .models import Application, ApplicationEvent, Attachment, PlannedStep


def _attachment_path(attachment: Attachment) -> str:
    return (
        f"files/application-{attachment.application_id}/{attachment.pk}-{get_valid_filename(attachment.original_name)}"
    )


def export(subject: Subject) -> Export:
    """Applications with steps, aids and audit trail; the file list; the stored files of the applications."""
    user = subject.user
    applications = (
        Application.objects.filter(company__in=subject.company_ids)
        .select_related("expert", "phase", "partner")
        .prefetch_related("planned_steps", "deminimis_aids", "events__by", "attachments")
        .order_by("created_at", "pk")
    )
    rows, files, stored = [], [], []
    for application in applications:
        row = row_fields(application)
        row["created_by_you"] = application.created_by_id == user.pk
        row["phase_name"] = application.phase.name
        row["expert_name"] = str(application.expert) if application.expert_id else None
        row["partner_name"] = application.partner.name if application.partner_id else None
        row["planned_steps"] = [row_fields(step) for step in application.planned_steps.all()]
        row["deminimis_aids"] = [row_fields(aid) for aid in application.deminimis_aids.all()]
        row["audit_trail"] = [
            {
                "at": event.at,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "note": event.note,
                "by": event.by_display,
                "by_you": event.by_id == user.pk,
            }
            for event in application.events.all()
        ]
        rows.append(row)
        for attachment in application.attachments.all():
            path = _attachment_path(attachment)
            files.append(
                {
                    **row_fields(attachment, exclude={"file", "uploaded_by"}),
                    "uploaded_by_you": attachment.uploaded_by_id == user.pk,
                    "path_in_this_archive": path,
                }
            )
            stored.append((path, attachment.file.name))
        for document in (application.voucher_pdf, application.certificate_pdf):
            if document:
                stored.append((f"files/application-{application.pk}/{document.name.rsplit('/', 1)[-1]}", document.name))
    # Files the user uploaded for a company they no longer belong to: listed, but the file is that company's.
    elsewhere = Attachment.objects.filter(uploaded_by=user).exclude(application__company__in=subject.company_ids)
    files += [
        {**row_fields(attachment, exclude={"file", "uploaded_by"}), "uploaded_by_you": True} for attachment in elsewhere
    ]
    return Export({"voucher_applications.json": rows, "files.json": files}, stored)


def erase(subject: Subject) -> None:
    user = subject.user
    applications = Application.objects.filter(Q(company_id__in=subject.company_ids) | Q(created_by=user))
    subject.scrub(applications, ["title", "description", "goals"])
    subject.scrub(PlannedStep.objects.filter(application__in=applications), ["description"])
    subject.scrub(ApplicationEvent.objects.filter(Q(application__in=applications) | Q(by=user)), ["note"])
    subject.scrub(Attachment.objects.filter(Q(application__in=applications) | Q(uploaded_by=user)), ["original_name"])


PART = Part(name="innoscheck", export=export, erase=erase)
