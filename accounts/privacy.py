"""Data protection (GDPR): a person's data export (Art. 15/20) and the erasure of an account (Art. 17).

Erasure anonymises rather than deletes wherever funders must keep a record (voucher decisions and
amounts, audit trails, company history) or figures are counted (people reached counts distinct
e-mail addresses): those rows stay, the person's name, e-mail and phone go. Every e-mail address
becomes a pseudonym that is the same wherever that address occurred, so distinct counts do not
change.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as HttpSession
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Func, Q, QuerySet, Value
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import get_valid_filename

from coaching.models import (
    Case,
    CaseAssignment,
    CaseStatusChange,
    EventRegistration,
    NextStep,
    Project,
    ProjectMeeting,
    SessionParticipant,
)
from coaching.models import Session as CoachingSession
from companies.models import Company, Invitation, Membership
from innoscheck.models import Application, ApplicationEvent, Attachment, PlannedStep
from notifications.models import Message, MessageAttachment, Notification, OutboxMail, Preference
from reporting.models import ReportDownload

from .models import AccountErasure, User

# Stored in place of an erased person's name (data, not interface text: it is not translated).
ERASED_NAME = "[erased]"
PSEUDONYM_DOMAIN = "invalid.example"

# Never part of an export: what coaches write for themselves only.
INTERNAL_SESSION_FIELDS = {"internal_notes", "created_by"}


def user_pseudonym_email(user) -> str:
    return f"erased-{user.pk}@{PSEUDONYM_DOMAIN}"


def person_pseudonym_email(email: str) -> str:
    """The same pseudonym for an address wherever it occurs (case-insensitive), not reversible without the key."""
    digest = salted_hmac("accounts.privacy.person", email.strip().lower()).hexdigest()[:24]
    return f"erased-{digest}@{PSEUDONYM_DOMAIN}"


def _user_emails(user) -> set[str]:
    emails = {user.email.lower()}
    emails.update(address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return emails


def _email_q(field: str, emails: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(**{f"{field}__iexact": email})
    return query


def _full_name(user) -> str:
    return user.get_full_name().strip()


# --- export -------------------------------------------------------------------------------------


def _fields(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict:
    """Every stored column of a row (foreign keys as ids, files as their storage names)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    return data


def _person_name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role,
        "language": user.language,
        "partner_organisation": user.partner.name if user.partner_id else None,
        "responsible_for": user.responsible_for,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "two_factor_methods": [
            {
                "type": authenticator.type,
                "created_at": authenticator.created_at,
                "last_used_at": authenticator.last_used_at,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
        ],
    }


def _company_history(company: Company, user) -> list[dict]:
    rows = []
    for record in company.history.order_by("history_date", "history_id"):
        row = _fields(record, exclude={"history_user"})
        row["changed_by_you"] = record.history_user_id == user.pk
        rows.append(row)
    return rows


def _cases(companies: QuerySet[Company], user, emails: set[str]) -> list[dict]:
    cases = (
        Case.objects.filter(company__in=companies)
        .select_related("coach")
        .prefetch_related("sessions__participants", "next_steps")
        .order_by("created_at", "pk")
    )
    result = []
    for case in cases:
        row = _fields(case)
        row["coach_name"] = _person_name(case.coach)
        row["requested_by_you"] = case.requested_by_id == user.pk
        row["sessions"] = [
            {
                **_fields(session, exclude=INTERNAL_SESSION_FIELDS),
                "participants": [
                    {"name": person.name, "email": person.email if person.email.lower() in emails else None}
                    for person in session.participants.all()
                ],
            }
            for session in case.sessions.all()
        ]
        row["next_steps"] = [_fields(step) for step in case.next_steps.all()]
        result.append(row)
    return result


def _own_session_participations(emails: set[str]) -> list[dict]:
    participations = (
        SessionParticipant.objects.filter(_email_q("email", emails))
        .select_related("session__case__company")
        .order_by("session__starts_at", "pk")
    )
    return [
        {
            "name": person.name,
            "email": person.email,
            "company": person.session.case.company.name,
            "topic": person.session.case.topic,
            "starts_at": person.session.starts_at,
            "form": person.session.form,
            "status": person.session.status,
        }
        for person in participations
    ]


def _event_registrations(companies: QuerySet[Company], user, emails: set[str]) -> list[dict]:
    registrations = (
        EventRegistration.objects.filter(_email_q("email", emails) | Q(company__in=companies) | Q(registered_by=user))
        .select_related("event", "company")
        .order_by("event__starts_at", "pk")
    )
    return [
        {
            **_fields(registration, exclude={"registered_by"}),
            "registered_by_you": registration.registered_by_id == user.pk,
            "event": {
                "title": registration.event.title,
                "kind": registration.event.kind,
                "starts_at": registration.event.starts_at,
                "place": registration.event.place,
                "topic": registration.event.topic,
            },
            "company_name": registration.company.name if registration.company_id else None,
        }
        for registration in registrations
    ]


def _projects(companies: QuerySet[Company]) -> list[dict]:
    projects = (
        Project.objects.filter(companies__in=companies)
        .distinct()
        .select_related("coach")
        .prefetch_related("meetings")
        .order_by("created_at", "pk")
    )
    return [
        {
            **_fields(project),
            "coach_name": _person_name(project.coach),
            "meetings": [_fields(meeting) for meeting in project.meetings.all()],
        }
        for project in projects
    ]


def _attachment_path(attachment: Attachment) -> str:
    return (
        f"files/application-{attachment.application_id}/{attachment.pk}-{get_valid_filename(attachment.original_name)}"
    )


def _applications(companies: QuerySet[Company], user) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """Applications with steps, aids and audit trail; the file list; (zip path, storage name) of each file."""
    applications = (
        Application.objects.filter(company__in=companies)
        .select_related("expert", "phase", "partner")
        .prefetch_related("planned_steps", "deminimis_aids", "events__by", "attachments")
        .order_by("created_at", "pk")
    )
    rows, files, stored = [], [], []
    for application in applications:
        row = _fields(application)
        row["created_by_you"] = application.created_by_id == user.pk
        row["phase_name"] = application.phase.name
        row["expert_name"] = str(application.expert) if application.expert_id else None
        row["partner_name"] = application.partner.name if application.partner_id else None
        row["planned_steps"] = [_fields(step) for step in application.planned_steps.all()]
        row["deminimis_aids"] = [_fields(aid) for aid in application.deminimis_aids.all()]
        row["audit_trail"] = [
            {
                "at": event.at,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "note": event.note,
                "by": _person_name(event.by),
                "by_you": event.by_id == user.pk,
            }
            for event in application.events.all()
        ]
        rows.append(row)
        for attachment in application.attachments.all():
            path = _attachment_path(attachment)
            files.append(
                {
                    **_fields(attachment, exclude={"file", "uploaded_by"}),
                    "uploaded_by_you": attachment.uploaded_by_id == user.pk,
                    "path_in_this_archive": path,
                }
            )
            stored.append((path, attachment.file.name))
        for document in (application.voucher_pdf, application.certificate_pdf):
            if document:
                stored.append((f"files/application-{application.pk}/{document.name.rsplit('/', 1)[-1]}", document.name))
    # Files the user uploaded for a company they no longer belong to: listed, but the file is that company's.
    elsewhere = Attachment.objects.filter(uploaded_by=user).exclude(application__company__in=companies)
    files += [
        {**_fields(attachment, exclude={"file", "uploaded_by"}), "uploaded_by_you": True} for attachment in elsewhere
    ]
    return rows, files, stored


def _report_downloads(user) -> list[dict]:
    downloads = ReportDownload.objects.filter(user=user).select_related("report").order_by("at", "pk")
    return [
        {
            "report_id": download.report_id,
            "report": str(download.report),
            "kind": download.report.kind,
            "period_start": download.report.period_start,
            "period_end": download.report.period_end,
            "downloaded_at": download.at,
        }
        for download in downloads
    ]


def personal_data(*, user) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Everything the portal holds about ``user`` and their companies, as JSON-ready documents per file name.

    Returns the documents and the stored files to add: (path in the archive, storage name).
    """
    companies = Company.objects.filter(memberships__user=user).order_by("name", "pk")
    emails = _user_emails(user)
    applications, files, stored = _applications(companies, user)
    documents = {
        "account.json": _account(user),
        "email_addresses.json": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "memberships.json": [
            {"company_id": membership.company_id, "company": membership.company.name, "joined_at": membership.joined_at}
            for membership in Membership.objects.filter(user=user).select_related("company").order_by("joined_at")
        ],
        "invitations.json": [
            {
                "company": invitation.company.name,
                "email": invitation.email,
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
                "sent_by_you": invitation.invited_by_id == user.pk,
            }
            for invitation in Invitation.objects.filter(_email_q("email", emails) | Q(invited_by=user)).select_related(
                "company"
            )
        ],
        "companies.json": [_fields(company) for company in companies],
        "company_history.json": {str(company.pk): _company_history(company, user) for company in companies},
        "coaching_cases.json": _cases(companies, user, emails),
        "coaching_session_participations.json": _own_session_participations(emails),
        "coaching_projects.json": _projects(companies),
        "event_registrations.json": _event_registrations(companies, user, emails),
        "voucher_applications.json": applications,
        "files.json": files,
        "report_downloads.json": _report_downloads(user),
        "notifications.json": list(
            Notification.objects.filter(user=user).values("kind", "title", "text", "url", "created_at", "read_at")
        ),
        "notification_settings.json": dict(Preference.objects.filter(user=user).values_list("kind", "delivery")),
        "messages_written.json": list(
            Message.objects.filter(author=user, internal=False).values(
                "case_id", "application_id", "text", "created_at"
            )
        ),
        "emails_sent_to_you.json": list(
            OutboxMail.objects.filter(_email_q("recipient", emails)).values(
                "subject", "status", "created_at", "sent_at"
            )
        ),
    }
    return documents, stored


def personal_data_zip(*, user) -> bytes:
    """The export as a ZIP archive of JSON files plus the files of the user's companies' applications."""
    documents, stored = personal_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, document in documents.items():
            archive.writestr(name, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for path, storage_name in stored:
            if default_storage.exists(storage_name):
                with default_storage.open(storage_name, "rb") as source:
                    archive.writestr(path, source.read())
    return buffer.getvalue()


# --- erasure ------------------------------------------------------------------------------------


class RegexpReplace(Func):
    function = "REGEXP_REPLACE"
    output_field = models.TextField()


def _scrub_expression(field: str, replacements: list[tuple[str, str]]):
    expression = models.F(field)
    for literal, replacement in replacements:
        expression = RegexpReplace(expression, Value(re.escape(literal)), Value(replacement), Value("gi"))
    return expression


def _scrub(queryset: QuerySet, fields: Iterable[str], replacements: list[tuple[str, str]]) -> None:
    """Replace the person's name, e-mail addresses and phone inside free texts of the given rows."""
    if replacements:
        queryset.update(**{field: _scrub_expression(field, replacements) for field in fields})


def _delete_sessions(user) -> None:
    for session in HttpSession.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def account_erase(*, user) -> AccountErasure:
    """Erase ``user``'s personal data; keep the records and figures funders rely on (see module docstring)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    emails = sorted(_user_emails(user))
    name = _full_name(user)
    company_ids = list(Membership.objects.filter(user=user).values_list("company_id", flat=True))

    # Longest first, so a full name is replaced before any address that contains part of it.
    replacements = sorted(
        [(email, person_pseudonym_email(email)) for email in emails]
        + ([(name, ERASED_NAME)] if len(name) >= 3 else [])
        + ([(user.phone, "")] if len(user.phone) >= 5 else []),
        key=lambda pair: -len(pair[0]),
    )

    # Notifications and mails are the person's own; messages stay in their threads, scrubbed below.
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    OutboxMail.objects.filter(Q(user=user) | _email_q("recipient", emails)).delete()
    for email in emails:
        pseudonym = person_pseudonym_email(email)
        SessionParticipant.objects.filter(email__iexact=email).update(name=ERASED_NAME, email=pseudonym)
        EventRegistration.objects.filter(email__iexact=email).update(name=ERASED_NAME, email=pseudonym)
        Invitation.objects.filter(email__iexact=email).update(email=pseudonym)
        contact = {"contact_name": ERASED_NAME, "contact_email": pseudonym, "contact_phone": ""}
        Company.objects.filter(contact_email__iexact=email).update(**contact)
        Company.history.filter(contact_email__iexact=email).update(**contact)
    if name:
        Company.objects.filter(pk__in=company_ids, contact_name__iexact=name).update(
            contact_name=ERASED_NAME, contact_phone=""
        )
        Company.history.filter(id__in=company_ids, contact_name__iexact=name).update(
            contact_name=ERASED_NAME, contact_phone=""
        )

    cases = Case.objects.filter(Q(company_id__in=company_ids) | Q(requested_by=user))
    applications = Application.objects.filter(Q(company_id__in=company_ids) | Q(created_by=user))
    _scrub(cases, ["description", "preferred_dates", "outcome_note"], replacements)
    _scrub(CaseStatusChange.objects.filter(case__in=cases), ["note"], replacements)
    _scrub(CaseAssignment.objects.filter(case__in=cases), ["note"], replacements)
    _scrub(CoachingSession.objects.filter(case__in=cases), ["location", "shared_notes", "internal_notes"], replacements)
    _scrub(NextStep.objects.filter(case__in=cases), ["description"], replacements)
    projects = Project.objects.filter(companies__in=company_ids)
    _scrub(Project.objects.filter(pk__in=projects), ["description", "outcome"], replacements)
    _scrub(ProjectMeeting.objects.filter(project__in=projects), ["place", "notes"], replacements)
    _scrub(applications, ["title", "description", "goals"], replacements)
    _scrub(PlannedStep.objects.filter(application__in=applications), ["description"], replacements)
    _scrub(ApplicationEvent.objects.filter(Q(application__in=applications) | Q(by=user)), ["note"], replacements)
    _scrub(
        Attachment.objects.filter(Q(application__in=applications) | Q(uploaded_by=user)),
        ["original_name"],
        replacements,
    )
    threads = Message.objects.filter(Q(case__in=cases) | Q(application__in=applications) | Q(author=user))
    _scrub(threads, ["text"], replacements)
    _scrub(MessageAttachment.objects.filter(message__in=threads), ["original_name"], replacements)
    _scrub(
        Company.history.filter(id__in=company_ids),
        ["contact_name", "contact_email", "contact_phone", "history_change_reason"],
        replacements,
    )
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=user_pseudonym_email(user), change_message=""
    )

    Membership.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _delete_sessions(user)

    user.email = user_pseudonym_email(user)
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.full_clean()
    user.save()
    erasure = AccountErasure(user=user)
    erasure.full_clean()
    erasure.save()
    return erasure
