"""Every write of the voucher programme. State changes only here, each in one transaction with an audit entry."""

import calendar
import datetime
import logging
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digitalfabrik.queueing import send_on_commit, send_task
from programme.models import FundingPhase
from programme.workflow import TransitionNotAllowed

from .eligibility import check_eligibility
from .files import validate_upload
from .models import (
    Application,
    Attachment,
    AttachmentKind,
    DeMinimisAid,
    DeMinimisDeclaration,
    Expert,
    PlannedStep,
    VoucherCounter,
)
from .workflow import EDITABLE_BY_COMPANY, RESERVING, VOUCHER, Status

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
# Rules checked at approval only: staff confirm a newly proposed expert after submission.
RULES_CHECKED_AT_APPROVAL_ONLY = {"expert"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Experts --------------------------------------------------------------------------------------


def expert_save(
    *,
    by,
    name: str,
    daily_rate: Decimal,
    firm: str = "",
    topics: list[str] = (),
    email: str = "",
    phone: str = "",
    expert: Expert | None = None,
) -> Expert:
    """Staff create (confirmed) or edit a register entry."""
    expert = expert or Expert(confirmed=True)
    expert.name, expert.firm, expert.topics = name, firm, list(topics)
    expert.email, expert.phone, expert.daily_rate = email, phone, daily_rate
    expert.full_clean()
    expert.save()
    return expert


def expert_propose(
    *, by, name: str, daily_rate: Decimal, firm: str = "", topics: list[str] = (), email: str = "", phone: str = ""
) -> Expert:
    """A company names an expert who is not in the register yet; staff confirm them later."""
    expert = Expert(
        confirmed=False,
        proposed_by=by,
        name=name,
        firm=firm,
        topics=list(topics),
        email=email,
        phone=phone,
        daily_rate=daily_rate,
    )
    expert.full_clean()
    expert.save()
    return expert


def expert_confirm(*, expert: Expert, by) -> Expert:
    expert.confirmed = True
    expert.full_clean()
    expert.save(update_fields=["confirmed"])
    return expert


# --- Drafts ---------------------------------------------------------------------------------------


def _require_editable(application: Application) -> None:
    if application.status not in EDITABLE_BY_COMPANY:
        raise TransitionNotAllowed(
            _("The application can no longer be changed in the state “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def _compute_amounts(application: Application) -> None:
    if application.expert_days is not None and application.daily_rate is not None:
        calculated = (application.expert_days * application.daily_rate).quantize(CENT, ROUND_HALF_UP)
        application.calculated_amount = calculated
        application.requested_amount = min(calculated, application.phase.max_voucher_amount)
    else:
        application.calculated_amount = application.requested_amount = None


@transaction.atomic
def application_create(*, company, by, phase: FundingPhase, client_token: uuid.UUID | None = None) -> Application:
    """A new draft. A form posted twice (same ``client_token``) returns the first draft."""
    if client_token:
        existing = Application.objects.filter(client_token=client_token).first()
        if existing:
            return existing
    application = Application(company=company, created_by=by, phase=phase, client_token=client_token or uuid.uuid4())
    application.full_clean(validate_unique=False)
    try:
        # The same form sent at the same moment: PostgreSQL lets the second insert wait for the
        # first one's commit and then refuses it; the second request returns the first draft.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        existing = Application.objects.filter(client_token=client_token).first() if client_token else None
        if existing is None:
            raise
        return existing
    VOUCHER.created(application, "create", by=by)
    return application


def _save_draft(application: Application) -> Application:
    _compute_amounts(application)
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_describe(
    *, application: Application, by, topic: str, title: str, description: str, goals: str, coaching_case=None
) -> Application:
    """The project step: what the project is, its goals, and the coaching case it grew out of."""
    _require_editable(application)
    application.topic, application.title, application.description, application.goals = topic, title, description, goals
    application.coaching_case = coaching_case
    return _save_draft(application)


@transaction.atomic
def application_choose_expert(
    *,
    application: Application,
    by,
    expert: Expert | None,
    expert_days: Decimal,
    daily_rate: Decimal,
    new_expert_name: str = "",
    new_expert_firm: str = "",
    new_expert_email: str = "",
    new_expert_phone: str = "",
) -> Application:
    """Choose an expert from the register, or propose a new one (``new_expert_*``), with days and rate."""
    _require_editable(application)
    if expert is None:
        expert = expert_propose(
            by=by,
            name=new_expert_name,
            firm=new_expert_firm,
            email=new_expert_email,
            phone=new_expert_phone,
            daily_rate=daily_rate,
            topics=[application.topic] if application.topic else [],
        )
    application.expert, application.expert_days, application.daily_rate = expert, expert_days, daily_rate
    return _save_draft(application)


@transaction.atomic
def application_confirm_sme(*, application: Application, by, sme_confirmed: bool) -> Application:
    """The company confirms (or takes back) that it is an SME under the EU definition."""
    _require_editable(application)
    application.sme_confirmed = sme_confirmed
    return _save_draft(application)


@transaction.atomic
def application_set_steps(*, application: Application, by, steps: list[dict]) -> None:
    _require_editable(application)
    application.planned_steps.all().delete()
    for step in steps:
        planned = PlannedStep(application=application, **step)
        planned.full_clean()
        planned.save()


@transaction.atomic
def application_set_deminimis(*, application: Application, by, declaration: str, aids: list[dict]) -> None:
    """Record the de-minimis declaration: "none", or the list of aid received."""
    _require_editable(application)
    if declaration == DeMinimisDeclaration.AIDS and not aids:
        raise ValidationError(_("List at least one aid, or declare that you received none."))
    application.deminimis_aids.all().delete()
    if declaration == DeMinimisDeclaration.AIDS:
        for aid in aids:
            record = DeMinimisAid(application=application, **aid)
            record.full_clean()
            record.save()
    application.deminimis_declaration = declaration
    application.full_clean()
    application.save(update_fields=["deminimis_declaration", "updated_at"])


@transaction.atomic
def attachment_add(*, application: Application, by, kind: str, upload) -> Attachment:
    """A file the company adds to its application: at most INNOSCHECK_MAX_ATTACHMENTS of them.

    Counted with the application's row locked, so two uploads at once cannot both be the last.
    """
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    limit = settings.INNOSCHECK_MAX_ATTACHMENTS
    if locked.attachments.count() >= limit:
        raise ValidationError(
            _("An application can have at most %(limit)d attachments. Delete one before you upload another.")
            % {"limit": limit},
            code="too_many_attachments",
        )
    return _attachment_store(application=locked, by=by, kind=kind, upload=upload)


def _attachment_store(*, application: Application, by, kind: str, upload) -> Attachment:
    """Store an upload under a random name after checking its content, size and that it is not empty."""
    content_type = validate_upload(upload, kind=kind)
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=(upload.name or "upload")[-255:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def application_delete_draft(*, application: Application, by) -> None:
    """Delete a draft that was never submitted, with its files; a submitted application is withdrawn."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.DRAFT:
        raise TransitionNotAllowed(
            _("Only a draft that was never submitted can be deleted; withdraw the application instead.")
        )
    files = [attachment.file for attachment in application.attachments.all()]
    application.delete()
    _delete_files_on_commit(files)


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    """Remove a file from an application the company may still change.

    The application is locked, so a submission at the same moment either sees the file or finds the
    application no longer editable. The stored file goes once the row's deletion has committed: a
    rolled-back deletion keeps both.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=attachment.application_id)
    _require_editable(application)
    file = attachment.file
    attachment.delete()
    _delete_files_on_commit([file])


def _delete_files_on_commit(files) -> None:
    """Delete stored files once the rows that named them are gone for good; a rolled-back deletion keeps
    them. A store that refuses (the bucket unreachable) leaves the file behind, logged: the change the
    user made has committed and is not answered with an error page."""

    def delete() -> None:
        for file in files:
            try:
                file.delete(save=False)
            except Exception:
                logger.exception("stored file %s was not deleted; remove it from the storage by hand", file.name)

    transaction.on_commit(delete)


def application_missing_items(application: Application) -> list[str]:
    """What the company still has to fill in before it can submit."""
    missing = []
    for field, text in [
        ("topic", _("Choose a topic.")),
        ("title", _("Enter a project title.")),
        ("description", _("Describe the project.")),
        ("goals", _("Describe the goals.")),
    ]:
        if not getattr(application, field):
            missing.append(text)
    if not application.planned_steps.exists():
        missing.append(_("Plan at least one step with its schedule."))
    if application.expert_id is None:
        missing.append(_("Choose an expert or propose a new one."))
    if not application.requested_amount:
        missing.append(_("Enter the expert days and the daily rate."))
    if not application.sme_confirmed:
        missing.append(_("Confirm the SME declaration."))
    if not application.deminimis_declaration:
        missing.append(_("Make the de-minimis declaration (list of aid received, or none)."))
    if not application.attachments.filter(kind=AttachmentKind.QUOTE).exists():
        missing.append(_("Upload the expert's quote as PDF."))
    return missing


def submission_blockers(application: Application, *, today: datetime.date | None = None) -> list[str]:
    """Missing items plus the eligibility rules (checked as of today) that the application fails."""
    blockers = application_missing_items(application)
    result = check_eligibility(application, decision_date=today or timezone.localdate())
    blockers += [
        f"{rule.label}: {rule.reason}" for rule in result.failed if rule.code not in RULES_CHECKED_AT_APPROVAL_ONLY
    ]
    return blockers


# --- Transitions ----------------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    """The application's current row, locked for the rest of the transaction."""
    return Application.objects.select_for_update(of=("self",)).select_related("company", "phase").get(pk=application.pk)


def _transition(*, application: Application, action: str, by, note: str = "", **changes) -> Application:
    """Lock the application, check the transition is allowed from its current state, apply, audit, publish.

    Must run inside transaction.atomic(). Returns the locked, updated instance.
    """
    locked = _locked(application)
    # Who is told is notifications.table's business (it subscribes to the published transition).
    VOUCHER.apply(locked, action, by=by, note=note, **changes)
    application.refresh_from_db()
    return locked


def _locked_phase(application: Application) -> FundingPhase:
    return FundingPhase.objects.select_for_update().get(pk=application.phase_id)


def _release(application: Application) -> None:
    """Return the reserved amount of a voucher to its phase's budget (phase row locked)."""
    phase = _locked_phase(application)
    phase.reserved_amount -= application.approved_amount
    phase.full_clean()
    phase.save(update_fields=["reserved_amount"])


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    blockers = submission_blockers(application)
    if blockers:
        raise ValidationError(blockers, code="incomplete")
    return _transition(
        application=application,
        action="submit",
        by=by,
        submitted_at=timezone.now(),
        partner=application.company.responsible_partner,
    )


@transaction.atomic
def application_start_review(*, application: Application, by, note: str = "") -> Application:
    return _transition(application=application, action="start_review", by=by, note=note)


@transaction.atomic
def application_request_changes(*, application: Application, by, message: str) -> Application:
    if not message.strip():
        raise ValidationError(_("Tell the company what to change."))
    return _transition(application=application, action="request_changes", by=by, note=message)


@transaction.atomic
def application_resubmit(*, application: Application, by, note: str = "") -> Application:
    blockers = submission_blockers(application)
    if blockers:
        raise ValidationError(blockers, code="incomplete")
    return _transition(application=application, action="resubmit", by=by, note=note)


@transaction.atomic
def application_withdraw(*, application: Application, by, note: str = "") -> Application:
    return _transition(application=application, action="withdraw", by=by, note=note)


def _next_voucher_number(year: int) -> str:
    """The next number of the year, gapless: the counter row stays locked until the approval commits."""
    VoucherCounter.objects.bulk_create([VoucherCounter(year=year)], ignore_conflicts=True)
    counter = VoucherCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"ISR-{year}-{counter.last_number:04d}"


@transaction.atomic
def application_approve(*, application: Application, by, amount: Decimal, note: str = "") -> Application:
    """Approve against the phase's voucher budget (row-locked), issue the voucher number, render the PDFs."""
    locked = _locked(application)
    if locked.status not in VOUCHER["approve"].sources:
        raise VOUCHER.not_allowed_error(locked, "approve")
    if amount is None or amount <= 0:
        raise ValidationError(_("Enter an amount greater than zero."))
    if amount > locked.requested_amount:
        raise ValidationError(_("The approved amount must not exceed the requested amount."))
    phase = _locked_phase(locked)
    today = timezone.localdate()
    result = check_eligibility(locked, decision_date=today, amount=amount)
    if not result.passed:
        raise ValidationError([f"{rule.label}: {rule.reason}" for rule in result.failed], code="not_eligible")
    if amount > phase.free_amount:
        raise ValidationError(
            _("The voucher budget of the phase has only %(free)s € left.") % {"free": phase.free_amount},
            code="budget",
        )
    phase.reserved_amount += amount
    phase.full_clean()
    phase.save(update_fields=["reserved_amount"])
    now = timezone.now()
    company = locked.company
    approved = _transition(
        application=locked,
        action="approve",
        by=by,
        note=note,
        approved_amount=amount,
        decided_at=now,
        approved_at=now,
        support_size_class=company.size_class,
        support_region=company.region,
        support_city=company.city,
        voucher_number=_next_voucher_number(today.year),
        valid_until=add_months(today, phase.voucher_validity_months),
    )
    from .tasks import render_voucher_documents

    send_on_commit(render_voucher_documents, approved.pk)
    application.refresh_from_db()
    return approved


@transaction.atomic
def application_reject(*, application: Application, by, reason: str) -> Application:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."))
    was_reserving = Application.objects.get(pk=application.pk).status in RESERVING
    # Rejected after approval: the approval stays the decision of its day; the withdrawal is its own event.
    dated = {"grant_withdrawn_at": timezone.now()} if was_reserving else {"decided_at": timezone.now()}
    rejected = _transition(application=application, action="reject", by=by, note=reason, **dated)
    if was_reserving:
        _release(rejected)
    return rejected


@transaction.atomic
def application_submit_proof(
    *, application: Application, by, actual_days: Decimal, actual_amount: Decimal, report, invoice, note: str = ""
) -> Application:
    if actual_days is None or actual_days <= 0:
        raise ValidationError(_("Enter the number of expert days actually worked (greater than zero)."))
    if actual_amount is None or actual_amount <= 0:
        raise ValidationError(_("Enter the invoiced amount (greater than zero)."))
    proved = _transition(
        application=application,
        action="submit_proof",
        by=by,
        note=note,
        actual_days=actual_days,
        actual_amount=actual_amount,
    )
    # The proof's two documents are part of the step and never refused for the number of attachments.
    _attachment_store(application=proved, by=by, kind=AttachmentKind.REPORT, upload=report)
    _attachment_store(application=proved, by=by, kind=AttachmentKind.INVOICE, upload=invoice)
    return proved


@transaction.atomic
def application_verify(*, application: Application, by, amount: Decimal, note: str = "") -> Application:
    current = Application.objects.get(pk=application.pk)
    if amount is None or amount <= 0:
        raise ValidationError(_("Enter an amount greater than zero."))
    if current.approved_amount is not None and amount > current.approved_amount:
        raise ValidationError(_("The verified amount must not exceed the approved amount."))
    return _transition(application=application, action="verify", by=by, note=note, verified_amount=amount)


@transaction.atomic
def application_mark_paid(*, application: Application, by, note: str = "") -> Application:
    paid = _transition(application=application, action="mark_paid", by=by, note=note, paid_at=timezone.now())
    phase = _locked_phase(paid)
    phase.reserved_amount -= paid.approved_amount
    phase.spent_amount += paid.verified_amount
    phase.full_clean()
    phase.save(update_fields=["reserved_amount", "spent_amount"])
    return paid


@transaction.atomic
def application_cancel(*, application: Application, by, reason: str) -> Application:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the cancellation."))
    cancelled = _transition(
        application=application, action="cancel", by=by, note=reason, grant_withdrawn_at=timezone.now()
    )
    _release(cancelled)
    return cancelled


@transaction.atomic
def application_expire(*, application: Application) -> Application:
    expired = _transition(
        application=application,
        action="expire",
        by=None,
        note=_("The voucher's validity has passed."),
        grant_withdrawn_at=timezone.now(),
    )
    _release(expired)
    return expired


def vouchers_expire_due(*, today: datetime.date | None = None) -> int:
    """Expire every approved voucher whose validity ended before ``today``; each in its own transaction."""
    today = today or timezone.localdate()
    count = 0
    for application in Application.objects.filter(status=Status.APPROVED, valid_until__lt=today):
        try:
            application_expire(application=application)
        except TransitionNotAllowed:
            continue
        count += 1
    return count


# --- Documents ------------------------------------------------------------------------------------


def vouchers_resend_missing_documents(*, before: datetime.datetime) -> list[int]:
    """Send the rendering task again for vouchers approved before ``before`` that still lack a document
    (the broker was down at the approval, or the worker lost the task); a duplicate does nothing."""
    from .tasks import render_voucher_documents

    missing = list(
        Application.objects.filter(status__in=RESERVING | {Status.PAID}, decided_at__lt=before)
        .filter(models.Q(voucher_pdf="") | models.Q(certificate_pdf=""))
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    return [pk for pk in missing if send_task(render_voucher_documents, pk)]


def voucher_documents_render(*, application_id: int) -> Application:
    """Render the voucher and the de-minimis certificate once; a second run keeps the same files."""
    from .documents import render_certificate_pdf, render_voucher_pdf

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("company", "phase", "expert")
            .get(pk=application_id)
        )
        if not application.voucher_number:
            return application
        changed = []
        for field, render in [("voucher_pdf", render_voucher_pdf), ("certificate_pdf", render_certificate_pdf)]:
            stored = getattr(application, field)
            if stored and stored.storage.exists(stored.name):
                continue
            name = f"innoscheck/vouchers/{application.voucher_number}-{field.split('_')[0]}-{uuid.uuid4().hex}.pdf"
            stored.save(name, ContentFile(render(application)), save=False)
            changed.append(field)
        if changed:
            application.save(update_fields=changed)
        return application
