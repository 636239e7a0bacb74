import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from companies.tests.factories import CompanyFactory, MembershipFactory
from innoscheck.models import Application, Attachment, AttachmentKind, DeMinimisDeclaration
from innoscheck.workflow import Status
from programme.choices import Region
from programme.tests.factories import PartnerOrganisationFactory

from .factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ApplicationFactory,
    ExpertFactory,
    approved_application,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_client(client, world, phase):
    client.force_login(world.users["member_a"])
    return client


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.users["staff"])
    return client


@pytest.fixture
def draft(world, phase):
    return ApplicationFactory(
        company=world.company_a,
        phase=phase,
        created_by=world.users["member_a"],
        with_files=False,
        expert=None,
        expert_days=None,
        daily_rate=None,
        calculated_amount=None,
        requested_amount=None,
        sme_confirmed=False,
        deminimis_declaration="",
    )


def _edit(pk, step):
    return reverse("innoscheck:edit", kwargs={"pk": pk, "step": step})


def _action(pk, action):
    return reverse("innoscheck:action", kwargs={"pk": pk, "action": action})


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_double_post_of_the_start_form_creates_one_draft(company_client, world):
    data = {"company": world.company_a.pk, "client_token": str(uuid.uuid4())}
    first = company_client.post(reverse("innoscheck:create"), data)
    second = company_client.post(reverse("innoscheck:create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1


def test_start_form_only_offers_own_companies(company_client, world):
    response = company_client.post(
        reverse("innoscheck:create"), {"company": world.company_b.pk, "client_token": str(uuid.uuid4())}
    )
    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_a_refused_step_shows_the_stored_application_and_the_typed_values(company_client, draft):
    """The form keeps what was typed; the page's heading and the rest show what is stored (validating
    set the typed values on the application in memory, so the page reads it again)."""
    stored = draft.title
    response = company_client.post(
        _edit(draft.pk, "project"),
        {"topic": "", "title": "Neu getippter Titel", "description": "x", "goals": "y"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["topic"]
    html = response.content.decode()
    assert f'<h1 class="h3 mb-1">{stored}</h1>' in html
    assert 'value="Neu getippter Titel"' in html
    draft.refresh_from_db()
    assert draft.title == stored


def test_planned_step_in_the_past_refused(company_client, draft):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-description": "Analyse",
        "steps-0-start": yesterday.isoformat(),
        "steps-0-end": timezone.localdate().isoformat(),
    }
    response = company_client.post(_edit(draft.pk, "steps"), data)
    assert response.status_code == 200
    assert "cannot start in the past" in response.content.decode() or "Vergangenheit" in response.content.decode()
    assert not draft.planned_steps.exists()


def test_planned_step_end_before_start_refused(company_client, draft):
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-description": "Analyse",
        "steps-0-start": start.isoformat(),
        "steps-0-end": (start - datetime.timedelta(days=1)).isoformat(),
    }
    assert company_client.post(_edit(draft.pk, "steps"), data).status_code == 200
    assert not draft.planned_steps.exists()


def test_planned_steps_saved(company_client, draft):
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-description": "Analyse",
        "steps-0-start": start.isoformat(),
        "steps-0-end": start.isoformat(),
        "steps-1-description": "",
        "steps-1-start": "",
        "steps-1-end": "",
    }
    response = company_client.post(_edit(draft.pk, "steps"), data)
    assert response.status_code == 302
    assert draft.planned_steps.get().description == "Analyse"


@pytest.mark.parametrize(
    ("days", "rate", "requested"),
    [
        ("2,5", "1.250,50", Decimal("3126.25")),
        ("4.5", "1,100.00", Decimal("4950.00")),
        ("20", "1.000", Decimal("10000.00")),
    ],
)
def test_german_and_english_amounts(company_client, draft, days, rate, requested):
    expert = ExpertFactory()
    response = company_client.post(
        _edit(draft.pk, "expert"), {"expert": expert.pk, "expert_days": days, "daily_rate": rate}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.requested_amount == requested


@pytest.mark.parametrize("days", ["0", "-1", "-0,5", "abc", ""])
def test_zero_negative_or_garbage_days_refused(company_client, draft, days):
    expert = ExpertFactory()
    response = company_client.post(
        _edit(draft.pk, "expert"), {"expert": expert.pk, "expert_days": days, "daily_rate": "1000"}
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.expert_days is None


def test_proposing_a_new_expert(company_client, draft):
    response = company_client.post(
        _edit(draft.pk, "expert"),
        {"new_expert_name": "Dr. Neu", "new_expert_firm": "Neu GmbH", "expert_days": "3", "daily_rate": "900"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.expert.name == "Dr. Neu" and not draft.expert.confirmed


def test_deminimis_aids_with_german_amounts(company_client, draft):
    data = {
        "sme_confirmed": "on",
        "deminimis_declaration": DeMinimisDeclaration.AIDS,
        "aids-TOTAL_FORMS": "1",
        "aids-INITIAL_FORMS": "0",
        "aids-0-granted_on": "2025-03-01",
        "aids-0-grantor": "Stadt Dortmund",
        "aids-0-amount": "12.345,67",
    }
    assert company_client.post(_edit(draft.pk, "declarations"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.sme_confirmed
    assert draft.deminimis_aids.get().amount == Decimal("12345.67")


def test_deminimis_aids_chosen_but_none_listed(company_client, draft):
    data = {
        "sme_confirmed": "on",
        "deminimis_declaration": DeMinimisDeclaration.AIDS,
        "aids-TOTAL_FORMS": "0",
        "aids-INITIAL_FORMS": "0",
    }
    response = company_client.post(_edit(draft.pk, "declarations"), data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.deminimis_declaration == ""


@pytest.mark.parametrize(
    ("kind", "name", "content", "accepted"),
    [
        (AttachmentKind.QUOTE, "angebot.pdf", PDF_BYTES, True),
        (AttachmentKind.QUOTE, "angebot.pdf", PNG_BYTES, False),
        (AttachmentKind.QUOTE, "bild.png", PNG_BYTES, False),
        (AttachmentKind.OTHER, "foto.jpg", JPEG_BYTES, True),
        (AttachmentKind.OTHER, "plan.png", PNG_BYTES, True),
        (AttachmentKind.OTHER, "tabelle.pdf", b"PK\x03\x04 not really a pdf", False),
        (AttachmentKind.OTHER, "leer.pdf", b"", False),
    ],
)
def test_uploads_checked_by_content(company_client, draft, kind, name, content, accepted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = company_client.post(_edit(draft.pk, "attachments"), {"kind": kind, "file": upload})
    assert response.status_code == (302 if accepted else 200)
    assert draft.attachments.exists() is accepted


def test_upload_over_the_size_limit_refused(company_client, draft, settings):
    """Cut off while it is read (digitalfabrik/uploads.py; more in test_uploads.py)."""
    settings.INNOSCHECK_MAX_UPLOAD_BYTES = 100
    upload = pdf_upload(content=PDF_BYTES + b"0" * 100)
    response = company_client.post(_edit(draft.pk, "attachments"), {"kind": AttachmentKind.QUOTE, "file": upload})
    assert response.status_code == 413
    assert not draft.attachments.exists()


def test_upload_stored_under_a_random_name_inside_media_root(company_client, draft, settings):
    upload = pdf_upload(name="../../etc/passwd.pdf")
    company_client.post(_edit(draft.pk, "attachments"), {"kind": AttachmentKind.QUOTE, "file": upload})
    attachment = draft.attachments.get()
    assert "passwd" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert attachment.original_name.endswith("passwd.pdf")
    assert attachment.content_type == "application/pdf"


def test_attachment_served_only_to_permitted_users(client, world, draft):
    upload = pdf_upload()
    attachment = Attachment(
        application=draft,
        kind=AttachmentKind.QUOTE,
        original_name="angebot.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=world.users["member_a"],
    )
    attachment.file.save("upload", upload)
    url = reverse("innoscheck:attachment", kwargs={"pk": attachment.pk})
    client.force_login(world.users["member_b"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["member_a"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]


def test_review_step_lists_what_blocks_submission(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase, deminimis_declaration="")
    response = company_client.get(_edit(application.pk, "review"))
    assert response.status_code == 200
    assert response.context["blockers"]
    response = company_client.post(_action(application.pk, "submit"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_double_submit_gives_a_clear_message_and_no_duplicate(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase)
    first = company_client.post(_action(application.pk, "submit"))
    second = company_client.post(_action(application.pk, "submit"), follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert any("not possible" in m or "nicht möglich" in m for m in _messages(second))
    assert application.events.filter(to_state=Status.SUBMITTED).count() == 1


def test_forged_approve_from_a_company_account_is_forbidden(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase, status=Status.IN_REVIEW)
    response = company_client.post(_action(application.pk, "approve"), {"amount": "5000"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_unknown_action_is_404(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase)
    assert company_client.post(_action(application.pk, "expire")).status_code == 404


def test_staff_approve_with_german_amount(staff_client, phase, django_capture_on_commit_callbacks):
    application = ApplicationFactory(phase=phase, status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_action(application.pk, "approve"), {"amount": "4.500,00"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.approved_amount == Decimal("4500.00")
    assert application.voucher_pdf


@pytest.mark.parametrize("amount", ["5.000,01", "0", "-10", "zehn"])
def test_staff_approve_with_bad_amount_shows_the_form_again(staff_client, phase, amount):
    application = ApplicationFactory(phase=phase, status=Status.IN_REVIEW)
    response = staff_client.post(_action(application.pk, "approve"), {"amount": amount})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_wrong_state_action_page_redirects_with_message(staff_client, phase):
    application = ApplicationFactory(phase=phase, status=Status.PAID)
    response = staff_client.get(_action(application.pk, "approve"), follow=True)
    assert any("not possible" in m or "nicht möglich" in m for m in _messages(response))


def test_proof_of_use_upload(client, world, phase):
    application = approved_application(company=world.company_a, phase=phase)
    client.force_login(world.users["member_a"])
    response = client.post(
        _action(application.pk, "submit_proof"),
        {
            "actual_days": "4,5",
            "actual_amount": "4.800,00",
            "report": pdf_upload("bericht.pdf"),
            "invoice": pdf_upload("rechnung.pdf"),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.PROOF_SUBMITTED
    assert application.actual_amount == Decimal("4800.00")
    assert set(application.attachments.values_list("kind", flat=True)) == {"quote", "report", "invoice"}


def test_proof_with_an_image_as_invoice_refused(client, world, phase):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = approved_application(company=world.company_a, phase=phase)
    client.force_login(world.users["member_a"])
    response = client.post(
        _action(application.pk, "submit_proof"),
        {
            "actual_days": "4",
            "actual_amount": "4000",
            "report": pdf_upload(),
            "invoice": SimpleUploadedFile("rechnung.pdf", PNG_BYTES),
        },
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_queue_filters(client, world, phase):
    staff_client = client
    staff_client.force_login(world.users["staff_lead"])
    partner = PartnerOrganisationFactory()
    hagen = CompanyFactory(region=Region.HAGEN, city="Hagen")
    old = ApplicationFactory(phase=phase, status=Status.SUBMITTED, topic="ai_data", company=hagen, partner=partner)
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    recent = ApplicationFactory(phase=phase, status=Status.IN_REVIEW, topic="it_security")
    ApplicationFactory(phase=phase, status=Status.DRAFT)
    paid = ApplicationFactory(phase=phase, status=Status.PAID)
    proof = ApplicationFactory(phase=phase, status=Status.PROOF_SUBMITTED)
    changes = ApplicationFactory(phase=phase, status=Status.CHANGES_REQUESTED)

    def shown(**query):
        response = staff_client.get(reverse("innoscheck:queue"), query)
        assert response.status_code == 200
        return {application.pk for application in response.context["page"]}

    # Open work by default; the other states behind the filter; drafts never.
    assert shown() == shown(status="open") == {old.pk, recent.pk, proof.pk, changes.pk}
    assert shown(status="paid") == {paid.pk}
    assert shown(status="all") == {old.pk, recent.pk, proof.pk, paid.pk, changes.pk}
    assert shown(status="in_review") == {recent.pk}
    assert shown(topic="ai_data", status="all") == {old.pk}
    assert shown(city="hagen") == {old.pk}
    assert shown(partner=partner.pk) == {old.pk}
    assert shown(age="older") == {old.pk}
    assert shown(age="week") == {recent.pk, proof.pk, changes.pk}
    assert shown(status="nonsense") == {old.pk, recent.pk, proof.pk, changes.pk}  # invalid: ignored, not a 500


def test_queue_columns_are_named_for_what_they_show(client, world, phase):
    client.force_login(world.users["staff_lead"])
    ApplicationFactory(phase=phase, status=Status.SUBMITTED)
    page = client.get(reverse("innoscheck:queue"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', page)
    assert headers[:8] == [
        "Eingereicht am (wartet seit)",
        "Unternehmen",
        "Ort des Unternehmens",
        "Projekttitel",
        "Thema",
        "Zuständiger Partner",
        "Status",
        "Beantragter Betrag",
    ]


def test_queue_query_count_does_not_grow(staff_client, phase, django_assert_max_num_queries):
    for _ in range(3):
        ApplicationFactory(phase=phase, status=Status.SUBMITTED, partner=PartnerOrganisationFactory())
    # The navigation's bell counts the unread notifications: one query.
    with django_assert_max_num_queries(11) as small:
        staff_client.get(reverse("innoscheck:queue"))
    for _ in range(30):
        ApplicationFactory(phase=phase, status=Status.SUBMITTED, partner=PartnerOrganisationFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff_client.get(reverse("innoscheck:queue"), {"status": "submitted"})


def test_company_list_query_count_does_not_grow(company_client, world, phase, django_assert_max_num_queries):
    ApplicationFactory(company=world.company_a, phase=phase)
    with django_assert_max_num_queries(8) as small:
        company_client.get(reverse("innoscheck:list"))
    other = CompanyFactory()
    MembershipFactory(company=other, user=world.users["member_a"])
    for company in (world.company_a, other):
        for _ in range(10):
            ApplicationFactory(company=company, phase=phase)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = company_client.get(reverse("innoscheck:list"))
    assert response.context["page"].paginator.count == 21


def test_dashboards_show_the_budget(client, world, phase):
    approved_application(phase=phase, approved_amount=Decimal("2500.00"))
    client.force_login(world.users["staff"])
    content = client.get(reverse("dashboard")).content.decode()
    assert "2.500,00 €" in content
    assert "697.500,00 €" in content
    for role in ("member_a", "funder"):
        client.force_login(world.users[role])
        assert client.get(reverse("dashboard")).status_code == 200


def test_staff_maintain_the_expert_register(staff_client):
    response = staff_client.post(
        reverse("innoscheck:expert_create"),
        {
            "name": "Dr. Register",
            "firm": "Ruhr IT",
            "topics": ["it_security", "ai_data"],
            "email": "r@ruhr.example",
            "daily_rate": "1.150,00",
        },
    )
    assert response.status_code == 302
    from innoscheck.models import Expert

    expert = Expert.objects.get(name="Dr. Register")
    assert expert.confirmed and expert.daily_rate == Decimal("1150.00") and expert.topics == ["it_security", "ai_data"]


def test_pages_render_in_english(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase)
    company_client.cookies["django_language"] = "en"
    for step in ["project", "steps", "expert", "declarations", "attachments", "review"]:
        response = company_client.get(_edit(application.pk, step), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
    assert company_client.get(reverse("innoscheck:detail", kwargs={"pk": application.pk})).status_code == 200


@pytest.mark.parametrize("status", Status.values)
def test_detail_renders_in_every_state_for_company_and_staff(client, world, phase, status):
    application = ApplicationFactory(company=world.company_a, phase=phase, status=status)
    application.events.create(by=world.users["staff"], from_state=Status.IN_REVIEW, to_state=status, note="Hinweis")
    for role in ("member_a", "staff"):
        client.force_login(world.users[role])
        response = client.get(reverse("innoscheck:detail", kwargs={"pk": application.pk}))
        if role == "staff" and status == Status.DRAFT:
            assert response.status_code == 403  # a draft is the company's own until it is submitted
            continue
        assert response.status_code == 200
        assert (response.context["change_request"] == "Hinweis") is (status == Status.CHANGES_REQUESTED)


def test_staff_confirm_a_proposed_expert_from_the_application(staff_client, phase):
    application = ApplicationFactory(phase=phase, status=Status.IN_REVIEW, expert=ExpertFactory(confirmed=False))
    detail = reverse("innoscheck:detail", kwargs={"pk": application.pk})
    assert not staff_client.get(detail).context["eligibility"].rule("expert").passed
    response = staff_client.post(
        reverse("innoscheck:expert_confirm", kwargs={"pk": application.expert_id}), {"next": detail}
    )
    assert response["Location"] == detail
    assert staff_client.get(detail).context["eligibility"].passed
    evil = staff_client.post(
        reverse("innoscheck:expert_confirm", kwargs={"pk": application.expert_id}), {"next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("innoscheck:experts")


def _own_file(application, name="eigenes-angebot.pdf") -> Attachment:
    from django.core.files.base import ContentFile

    attachment = Attachment(
        application=application,
        kind=AttachmentKind.QUOTE,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=application.created_by,
    )
    attachment.file.save(name, ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


def test_a_draft_is_deleted_with_its_files_after_confirmation(
    company_client, draft, django_capture_on_commit_callbacks
):
    stored = _own_file(draft).file
    url = reverse("innoscheck:delete", args=[draft.pk])
    detail = company_client.get(reverse("innoscheck:detail", args=[draft.pk])).content.decode()
    assert url in detail and "action-withdraw" not in detail

    confirmation = company_client.get(url)
    assert confirmation.status_code == 200 and Application.objects.filter(pk=draft.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = company_client.post(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302 and response["Location"] == reverse("innoscheck:list")
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not stored.storage.exists(stored.name)
    assert any("wurde gelöscht" in message for message in _messages(response))


def test_a_submitted_application_is_withdrawn_not_deleted(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase, status=Status.SUBMITTED)
    detail = company_client.get(reverse("innoscheck:detail", args=[application.pk])).content.decode()
    assert reverse("innoscheck:delete", args=[application.pk]) not in detail
    assert "action-withdraw" in detail
    assert company_client.post(reverse("innoscheck:delete", args=[application.pk])).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_detail_pages_tables_scroll_in_named_regions(company_client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase, created_by=world.users["member_a"])
    application.deminimis_aids.create(granted_on=datetime.date(2025, 3, 14), grantor="Land NRW", amount=Decimal(5000))
    html = company_client.get(reverse("innoscheck:detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    for testid, label in [("planned-steps", "Planned steps"), ("deminimis-aids", "De-minimis aid received")]:
        region = (
            rf'<div class="table-responsive" role="region" aria-label="{label}" tabindex="0" data-testid="{testid}">'
        )
        assert re.search(region + r"\s*<table", html), testid


def test_success_messages_name_what_happened(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("innoscheck:expert_create"),
        {"name": "Dr. Ada Lovelace", "firm": "", "email": "", "phone": "", "daily_rate": "1.000,00"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert _messages(response) == ["Dr. Ada Lovelace wurde im Expertenregister gespeichert."]
