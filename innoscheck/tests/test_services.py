import datetime
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from accounts.tests.factories import StaffFactory, UserFactory
from companies.tests.factories import MembershipFactory
from innoscheck import services
from innoscheck.models import Application, ApplicationEvent, AttachmentKind, VoucherCounter
from innoscheck.workflow import Status
from programme.choices import Region
from programme.models import FundingPhase
from programme.tests.factories import ResponsibilityFactory

from .factories import ApplicationFactory, approved_application, pdf_upload

pytestmark = pytest.mark.django_db


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def staff():
    return StaffFactory()


def _phase(application) -> FundingPhase:
    return FundingPhase.objects.get(pk=application.phase_id)


def _in_review(**kwargs) -> Application:
    return ApplicationFactory(status=Status.IN_REVIEW, **kwargs)


def test_amount_is_days_times_rate_capped_by_the_phase(phase):
    application = ApplicationFactory(phase=phase, expert_days=None, daily_rate=None, requested_amount=None)
    services.application_choose_expert(
        application=application,
        by=application.created_by,
        expert=application.expert,
        expert_days=Decimal("4.5"),
        daily_rate=Decimal("1100"),
    )
    assert application.calculated_amount == Decimal("4950.00")
    assert application.requested_amount == Decimal("4950.00")
    services.application_choose_expert(
        application=application,
        by=application.created_by,
        expert=application.expert,
        expert_days=Decimal("12"),
        daily_rate=Decimal("1000"),
    )
    assert application.calculated_amount == Decimal("12000.00")
    assert application.requested_amount == phase.max_voucher_amount == Decimal("10000.00")


def test_zero_days_refused():
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_choose_expert(
            application=application,
            by=application.created_by,
            expert=application.expert,
            expert_days=Decimal("0"),
            daily_rate=Decimal("1000"),
        )


def test_create_with_same_token_returns_the_same_draft(phase):
    user = UserFactory()
    membership = MembershipFactory(user=user)
    first = services.application_create(company=membership.company, by=user, phase=phase, client_token="0" * 32)
    second = services.application_create(company=membership.company, by=user, phase=phase, client_token="0" * 32)
    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_missing_items_list_everything_of_an_empty_draft(phase):
    application = Application.objects.create(
        company=ApplicationFactory().company, phase=phase, created_by=UserFactory()
    )
    missing = services.application_missing_items(application)
    assert len(missing) == 10


def test_submit_blocked_without_deminimis_declaration():
    application = ApplicationFactory(deminimis_declaration="")
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=application.created_by)
    assert any("de-minimis" in message for message in error.value.messages)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_submit_records_audit_mail_and_partner(django_capture_on_commit_callbacks):
    partner = ResponsibilityFactory(region=Region.DORTMUND, partner__short_name="WF DO").partner
    application = ApplicationFactory()
    MembershipFactory(company=application.company, user=application.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, by=application.created_by)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.partner == partner
    event = application.events.last()
    assert (event.by, event.from_state, event.to_state) == (application.created_by, Status.DRAFT, Status.SUBMITTED)
    # The submitter gets a receipt (notifications.table); staff of the partner would be told too.
    assert [message.to for message in mail.outbox] == [[application.created_by.email]]


def test_submit_twice_gives_a_clear_error_and_no_duplicate():
    application = ApplicationFactory()
    services.application_submit(application=application, by=application.created_by)
    with pytest.raises(services.TransitionNotAllowed) as error:
        services.application_submit(application=application, by=application.created_by)
    assert "Submitted" in error.value.messages[0]
    assert application.events.filter(to_state=Status.SUBMITTED).count() == 1


def test_full_life_moves_the_budget(staff, phase, django_capture_on_commit_callbacks):
    application = ApplicationFactory(phase=phase, status=Status.SUBMITTED)
    services.application_start_review(application=application, by=staff)
    services.application_request_changes(application=application, by=staff, message="Bitte Angebot ergänzen.")
    assert application.status == Status.CHANGES_REQUESTED
    services.application_describe(
        application=application,
        by=application.created_by,
        topic=application.topic,
        title=application.title,
        description=application.description,
        goals="Neue Ziele",
    )
    services.application_resubmit(application=application, by=application.created_by)
    assert application.status == Status.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, by=staff, amount=Decimal("4000.00"))
    application.refresh_from_db()
    phase.refresh_from_db()
    assert (phase.reserved_amount, phase.spent_amount) == (Decimal("4000.00"), Decimal("0.00"))
    assert application.voucher_number == f"ISR-{timezone.localdate().year}-0001"
    assert application.valid_until == services.add_months(timezone.localdate(), 6)
    assert application.voucher_pdf.name and application.certificate_pdf.name  # eager task, run on commit
    services.application_submit_proof(
        application=application,
        by=application.created_by,
        actual_days=Decimal("4"),
        actual_amount=Decimal("4200"),
        report=pdf_upload("bericht.pdf"),
        invoice=pdf_upload("rechnung.pdf"),
    )
    services.application_verify(application=application, by=staff, amount=Decimal("4000.00"))
    services.application_mark_paid(application=application, by=staff)
    phase.refresh_from_db()
    assert (phase.reserved_amount, phase.spent_amount, phase.free_amount) == (
        Decimal("0.00"),
        Decimal("4000.00"),
        Decimal("696000.00"),
    )
    statuses = list(application.events.order_by("pk").values_list("to_state", flat=True))
    assert statuses == [
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.IN_REVIEW,
        Status.APPROVED,
        Status.PROOF_SUBMITTED,
        Status.VERIFIED,
        Status.PAID,
    ]


def test_approve_more_than_requested_refused(staff):
    application = _in_review()
    with pytest.raises(ValidationError):
        services.application_approve(application=application, by=staff, amount=Decimal("5000.01"))
    assert _phase(application).reserved_amount == 0


def test_approve_beyond_free_budget_refused(staff):
    application = _in_review(phase__voucher_budget=Decimal("4999.99"))
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, by=staff, amount=Decimal("5000.00"))
    assert error.value.code == "budget"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and application.voucher_number is None


def test_approve_exactly_the_last_euros(staff):
    application = _in_review(phase__voucher_budget=Decimal("5000.00"))
    services.application_approve(application=application, by=staff, amount=Decimal("5000.00"))
    assert _phase(application).free_amount == 0


def test_approve_refused_when_not_eligible(staff):
    application = _in_review()
    approved_application(company=application.company, phase=application.phase)
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, by=staff, amount=Decimal("1000"))
    assert any("active voucher" in message for message in error.value.messages)


def test_voucher_numbers_are_gapless_per_year_and_survive_a_failed_approval(staff, phase, time_machine):
    # Half an hour into the new year in Dortmund is still the old year in UTC: the number takes the
    # programme's local year.
    time_machine.move_to(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=BERLIN), tick=False)
    first, second, third = (_in_review(phase=phase) for _ in range(3))
    services.application_approve(application=first, by=staff, amount=Decimal("1000"))
    with pytest.raises(ValidationError):
        services.application_approve(application=second, by=staff, amount=Decimal("999999"))
    services.application_approve(application=third, by=staff, amount=Decimal("1000"))
    assert [first.voucher_number, third.voucher_number] == ["ISR-2027-0001", "ISR-2027-0002"]
    assert VoucherCounter.objects.get(year=2027).last_number == 2


@pytest.mark.parametrize(
    "release",
    [
        lambda a, s: services.application_reject(application=a, by=s, reason="Fördervoraussetzungen entfallen"),
        lambda a, s: services.application_cancel(application=a, by=s, reason="Unternehmen verzichtet"),
        lambda a, s: services.application_expire(application=a),
    ],
    ids=["reject", "cancel", "expire"],
)
def test_release_returns_the_reservation(staff, release):
    application = approved_application(approved_amount=Decimal("3000"))
    assert _phase(application).reserved_amount == Decimal("3000")
    release(application, staff)
    assert _phase(application).reserved_amount == 0
    assert application.events.last().from_state == Status.APPROVED


def test_reject_from_review_releases_nothing(staff):
    application = _in_review()
    services.application_reject(application=application, by=staff, reason="Kein Digitalisierungsbezug")
    assert application.status == Status.REJECTED
    assert _phase(application).reserved_amount == 0
    assert application.events.last().note == "Kein Digitalisierungsbezug"


def test_reject_needs_a_reason(staff):
    with pytest.raises(ValidationError):
        services.application_reject(application=_in_review(), by=staff, reason="  ")


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (Status.DRAFT, lambda a, s: services.application_approve(application=a, by=s, amount=Decimal("10"))),
        (Status.APPROVED, lambda a, s: services.application_withdraw(application=a, by=a.created_by)),
        (Status.IN_REVIEW, lambda a, s: services.application_mark_paid(application=a, by=s)),
        (Status.PAID, lambda a, s: services.application_cancel(application=a, by=s, reason="x")),
        (Status.REJECTED, lambda a, s: services.application_resubmit(application=a, by=a.created_by)),
    ],
)
def test_wrong_state_transitions_refused_with_a_clear_message(staff, status, call):
    application = ApplicationFactory(status=status)
    with pytest.raises(services.TransitionNotAllowed) as error:
        call(application, staff)
    assert "not possible" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == status


def test_withdraw_before_decision():
    application = ApplicationFactory(status=Status.CHANGES_REQUESTED)
    services.application_withdraw(application=application, by=application.created_by, note="Projekt verschoben")
    assert application.status == Status.WITHDRAWN


def test_a_draft_is_deleted_not_withdrawn():
    draft = ApplicationFactory(status=Status.DRAFT)
    with pytest.raises(services.TransitionNotAllowed):
        services.application_withdraw(application=draft, by=draft.created_by)
    services.application_delete_draft(application=draft, by=draft.created_by)
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_a_submitted_application_cannot_be_deleted():
    application = ApplicationFactory(status=Status.SUBMITTED)
    with pytest.raises(services.TransitionNotAllowed):
        services.application_delete_draft(application=application, by=application.created_by)
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_removed_attachment_keeps_its_file_until_the_removal_commits(django_capture_on_commit_callbacks):
    draft = ApplicationFactory(status=Status.DRAFT, with_files=False)
    attachment = services.attachment_add(
        application=draft, by=draft.created_by, kind=AttachmentKind.QUOTE, upload=pdf_upload()
    )
    storage, name = attachment.file.storage, attachment.file.name

    with transaction.atomic():
        services.attachment_delete(attachment=draft.attachments.get(), by=draft.created_by)
        transaction.set_rollback(True)
    assert draft.attachments.filter(pk=attachment.pk).exists()
    assert storage.exists(name), "a rolled-back removal deleted the stored file"

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=draft.attachments.get(), by=draft.created_by)
    assert not draft.attachments.exists()
    assert not storage.exists(name)


def test_a_submitted_application_keeps_its_attachments():
    application = ApplicationFactory(status=Status.SUBMITTED)
    attachment = application.attachments.get()
    with pytest.raises(services.TransitionNotAllowed):
        services.attachment_delete(attachment=attachment, by=application.created_by)
    assert attachment.file.storage.exists(attachment.file.name)
    assert application.attachments.filter(pk=attachment.pk).exists()


def test_editing_after_submission_refused():
    application = ApplicationFactory(status=Status.SUBMITTED)
    with pytest.raises(services.TransitionNotAllowed):
        services.application_confirm_sme(application=application, by=application.created_by, sme_confirmed=True)


def test_verify_more_than_approved_refused(staff):
    application = approved_application(approved_amount=Decimal("3000"), status=Status.PROOF_SUBMITTED)
    with pytest.raises(ValidationError):
        services.application_verify(application=application, by=staff, amount=Decimal("3000.01"))


def test_proof_with_zero_days_refused():
    application = approved_application()
    with pytest.raises(ValidationError):
        services.application_submit_proof(
            application=application,
            by=application.created_by,
            actual_days=Decimal("0"),
            actual_amount=Decimal("100"),
            report=pdf_upload(),
            invoice=pdf_upload(),
        )
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED


def test_expiry_task_expires_only_vouchers_past_their_validity(time_machine):
    from innoscheck.tasks import expire_vouchers

    # Five minutes past midnight in Dortmund (the evening before in UTC): yesterday's vouchers expire.
    time_machine.move_to(datetime.datetime(2026, 6, 3, 0, 5, tzinfo=BERLIN), tick=False)
    today = datetime.date(2026, 6, 3)
    due = approved_application(valid_until=today - datetime.timedelta(days=1))
    last_day = approved_application(valid_until=today)
    assert expire_vouchers.delay().get() == 1
    due.refresh_from_db()
    last_day.refresh_from_db()
    assert (due.status, last_day.status) == (Status.EXPIRED, Status.APPROVED)
    assert _phase(due).reserved_amount == 0
    event = due.events.last()
    assert event.by is None and event.to_state == Status.EXPIRED


def test_beat_schedule_runs_expiry():
    from django.conf import settings

    assert any(entry["task"] == "innoscheck.tasks.expire_vouchers" for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_rendering_twice_keeps_the_same_files(staff, django_capture_on_commit_callbacks):
    from innoscheck.tasks import render_voucher_documents

    application = _in_review()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, by=staff, amount=Decimal("5000"))
    application.refresh_from_db()
    names = (application.voucher_pdf.name, application.certificate_pdf.name)
    render_voucher_documents.delay(application.pk).get()
    application.refresh_from_db()
    assert (application.voucher_pdf.name, application.certificate_pdf.name) == names
    assert len(os.listdir(application.voucher_pdf.storage.path("innoscheck/vouchers"))) == 2


def test_every_transition_writes_one_event(staff):
    application = ApplicationFactory(status=Status.SUBMITTED)
    before = ApplicationEvent.objects.count()
    services.application_start_review(application=application, by=staff, note="Ich übernehme")
    assert ApplicationEvent.objects.count() == before + 1


def test_proposed_expert_needs_confirmation(staff):
    expert = services.expert_propose(by=UserFactory(), name="Neu", daily_rate=Decimal("900"), topics=["ai_data"])
    assert not expert.confirmed
    services.expert_confirm(expert=expert, by=staff)
    expert.refresh_from_db()
    assert expert.confirmed


def test_messages_are_german_by_default(staff):
    application = ApplicationFactory(status=Status.PAID)
    with translation.override("de"), pytest.raises(services.TransitionNotAllowed) as error:
        services.application_cancel(application=application, by=staff, reason="x")
    assert error.value.messages == ["„Stornieren“ ist nicht möglich: Der Status ist „Ausgezahlt“."]


def test_mail_goes_out_in_each_reader_language(django_capture_on_commit_callbacks, staff):
    application = ApplicationFactory(status=Status.SUBMITTED)
    english = MembershipFactory(company=application.company, user=UserFactory(language="en")).user
    german = MembershipFactory(company=application.company, user=UserFactory(language="de")).user
    with django_capture_on_commit_callbacks(execute=True):
        services.application_start_review(application=application, by=staff)
    # Each member in their language (notifications.table: the company's members).
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {german.email, english.email}
    assert "Prüfung begonnen" in by_recipient[german.email].subject
    assert "Review started" in by_recipient[english.email].subject
