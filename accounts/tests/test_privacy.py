"""GDPR: the personal data export and the erasure of an account (accounts/privacy.py and its views)."""

import datetime
import io
import json
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from accounts.models import AccountErasure, User
from accounts.privacy import ERASED_NAME, account_erase, person_pseudonym_email, personal_data
from accounts.tests.factories import TEST_PASSWORD, CoachFactory
from coaching.choices import SessionStatus
from coaching.selectors import people_reached
from coaching.tests.factories import (
    CaseFactory,
    EventFactory,
    EventRegistrationFactory,
    NextStepFactory,
    SessionFactory,
    SessionParticipantFactory,
)
from companies.models import Company, Invitation, Membership
from companies.services import company_profile, company_update
from digitalfabrik.tests.fuzzing import UNESCAPED_MARKERS, hostile_payloads
from innoscheck.models import ApplicationEvent, Attachment
from innoscheck.tests.factories import PDF_BYTES, aid, approved_application
from programme.models import FundingPhase
from reporting import facts, indicators
from reporting.models import PersonContact, ReportDownload
from reporting.tests.factories import ReportFactory

NAME = "Maximiliane Privatsphäre-Testfrau"
PRIVATE_EMAIL = "maxi.privat@example.org"
PHONE = "0231 98765432"
INTERNAL = "INTERN-NUR-FUER-COACHES"
B_ONLY = "NUR-FIRMA-B-NOTIZ"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scenario(world):
    """member_a, active in every part of the portal under two e-mail addresses; company B alongside."""
    member_a, member_b = world.users["member_a"], world.users["member_b"]
    member_a.first_name, member_a.last_name = NAME.split(" ")
    member_a.phone = PHONE
    member_a.save()
    EmailAddress.objects.create(user=member_a, email=PRIVATE_EMAIL, verified=True, primary=False)
    company_update(
        company=world.company_a,
        by=member_a,
        **company_profile(world.company_a)
        | {"contact_name": NAME, "contact_email": member_a.email, "contact_phone": PHONE},
    )
    Invitation.objects.create(company=world.company_a, email="kollegin@firma-a.example", invited_by=member_a)

    coach = world.users["coach"]
    held_at = timezone.now() - datetime.timedelta(days=10)
    case_a = CaseFactory(
        company=world.company_a,
        requested_by=member_a,
        coach=coach,
        description=f"Bitte an {NAME} ({member_a.email}, Tel. {PHONE}) wenden.",
    )
    session_a = SessionFactory(
        case=case_a,
        status=SessionStatus.HELD,
        starts_at=held_at,
        shared_notes=f"Gemeinsame Notiz mit {NAME}.",
        internal_notes=f"{INTERNAL}: {NAME} wirkte skeptisch.",
    )
    SessionParticipantFactory(session=session_a, name=NAME, email=member_a.email.upper())
    colleague = SessionParticipantFactory(session=session_a, name="Karl Kollege", email="karl@firma-a.example")
    NextStepFactory(case=case_a, session=session_a, description=f"{NAME} holt Angebote ein")

    case_b = CaseFactory(company=world.company_b, coach=coach, description="Firma B möchte 3D-Druck.")
    session_b = SessionFactory(
        case=case_b, status=SessionStatus.HELD, starts_at=held_at, shared_notes=B_ONLY, internal_notes=B_ONLY
    )
    SessionParticipantFactory(session=session_b, name=NAME, email=PRIVATE_EMAIL)
    b_person = SessionParticipantFactory(session=session_b, name="Berta Beispiel", email="berta@firma-b.example")

    event = EventFactory(starts_at=held_at)
    EventRegistrationFactory(
        event=event, name=NAME, email=member_a.email, company=world.company_a, registered_by=member_a, attended=True
    )
    b_registration = EventRegistrationFactory(
        event=event,
        name="Bernd B",
        email=member_b.email,
        company=world.company_b,
        registered_by=member_b,
        attended=True,
    )

    voucher_a = approved_application(company=world.company_a, created_by=member_a, title=f"Konzept von {NAME}")
    ApplicationEvent.objects.create(
        application=voucher_a,
        by=member_a,
        from_state="draft",
        to_state="submitted",
        note=f"Eingereicht von {NAME}, Rückfragen an {PRIVATE_EMAIL}",
    )
    aid(voucher_a, granted_on=timezone.localdate() - datetime.timedelta(days=100), amount=Decimal("12000.00"))
    voucher_a.attachments.update(original_name=f"Angebot {NAME}.pdf")
    voucher_b = approved_application(company=world.company_b, created_by=member_b, title="B-Vorhaben Fräsen")
    return SimpleNamespace(
        world=world,
        member_a=member_a,
        member_b=member_b,
        emails=[member_a.email, PRIVATE_EMAIL],
        voucher_a=voucher_a,
        voucher_b=voucher_b,
        colleague=colleague,
        b_person=b_person,
        b_registration=b_registration,
        phase=voucher_a.phase,
    )


def _export(client, user) -> dict[str, object]:
    client.force_login(user)
    response = client.get(reverse("privacy_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist()}


def _json(files, name):
    return json.loads(files[name])


# --- export -------------------------------------------------------------------------------------


def test_export_contains_own_data_and_company_data(client, scenario):
    files = _export(client, scenario.member_a)
    account = _json(files, "account.json")
    assert account["email"] == scenario.member_a.email
    assert account["last_name"] == "Privatsphäre-Testfrau"
    assert {row["email"] for row in _json(files, "email_addresses.json")} == set(scenario.emails)
    assert [row["company"] for row in _json(files, "memberships.json")] == ["Firma A GmbH"]
    assert [row["name"] for row in _json(files, "companies.json")] == ["Firma A GmbH"]
    history = _json(files, "company_history.json")[str(scenario.world.company_a.pk)]
    assert any(row["changed_by_you"] and row["contact_name"] == NAME for row in history)

    cases = _json(files, "coaching_cases.json")
    assert len(cases) == 1 and cases[0]["requested_by_you"]
    session = cases[0]["sessions"][0]
    assert session["shared_notes"] == f"Gemeinsame Notiz mit {NAME}."
    assert {"name": "Karl Kollege", "email": None} in session["participants"]
    assert cases[0]["next_steps"][0]["description"].endswith("holt Angebote ein")
    participations = _json(files, "coaching_session_participations.json")
    assert {row["email"] for row in participations} == {scenario.member_a.email.upper(), PRIVATE_EMAIL}
    assert [row["email"] for row in _json(files, "event_registrations.json")] == [scenario.member_a.email]

    [voucher] = _json(files, "voucher_applications.json")
    assert voucher["voucher_number"] == scenario.voucher_a.voucher_number
    assert Decimal(voucher["approved_amount"]) == Decimal("5000.00")
    assert [Decimal(row["amount"]) for row in voucher["deminimis_aids"]] == [Decimal("12000.00")]
    assert [(row["to_state"], row["by_you"]) for row in voucher["audit_trail"]] == [
        ("approved", False),
        ("submitted", True),
    ]
    [listed] = _json(files, "files.json")
    assert listed["original_name"] == f"Angebot {NAME}.pdf" and listed["uploaded_by_you"]
    assert files[listed["path_in_this_archive"]] == PDF_BYTES
    assert [row["email"] for row in _json(files, "invitations.json")] == ["kollegin@firma-a.example"]


def test_export_leaves_out_internal_notes_and_other_companies(client, scenario):
    files = _export(client, scenario.member_a)
    everything = b"\n".join(files.values()).decode("utf-8", errors="replace")
    assert INTERNAL not in everything
    assert "internal_notes" not in everything
    assert B_ONLY not in everything
    assert "B-Vorhaben" not in everything
    assert scenario.member_b.email not in everything
    assert "Berta Beispiel" not in everything
    assert scenario.world.company_b.contact_email not in everything


def test_export_lists_report_downloads(client, world):
    funder = world.users["funder"]
    report = ReportFactory()
    ReportDownload.objects.create(report=report, user=funder)
    ReportDownload.objects.create(report=report, user=world.users["staff"])
    files = _export(client, funder)
    assert [row["report_id"] for row in _json(files, "report_downloads.json")] == [report.pk]
    assert _json(files, "companies.json") == []


def test_export_of_another_member_holds_only_their_company(scenario):
    documents, stored = personal_data(user=scenario.member_b)
    assert [row["name"] for row in documents["companies.json"]] == ["Firma B GmbH"]
    assert [row["title"] for row in documents["voucher_applications.json"]] == ["B-Vorhaben Fräsen"]
    assert all(f"application-{scenario.voucher_a.pk}/" not in path for path, _name in stored)


# --- erasure ------------------------------------------------------------------------------------


def _text_values(instance) -> list[str]:
    return [
        str(getattr(instance, field.attname) or "")
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def _rows_mentioning(needles: list[str]) -> list[str]:
    """Every row of every model with a text column that contains one of ``needles`` (case-insensitive)."""
    needles = [needle.lower() for needle in needles]
    found = []
    for model in apps.get_models():
        if model._meta.label in {"sessions.Session"}:
            continue
        for instance in model._default_manager.all():
            text = "\n".join(_text_values(instance)).lower()
            found += [f"{model._meta.label} {instance.pk}: {needle}" for needle in needles if needle in text]
    return found


def test_erasure_removes_names_emails_and_phone_everywhere(scenario):
    facts.rebuild()  # the maintained figures' tables too (the people reached keep e-mail addresses)
    needles = [NAME, *scenario.emails, PHONE]
    assert _rows_mentioning(needles)
    assert {email.lower() for email in scenario.emails} & set(PersonContact.objects.values_list("email", flat=True))

    account_erase(user=scenario.member_a)

    assert _rows_mentioning(needles) == []
    user = User.objects.get(pk=scenario.member_a.pk)
    assert user.email == f"erased-{user.pk}@invalid.example"
    assert (user.first_name, user.last_name, user.phone, user.is_active) == ("", "", "", False)
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()


def test_erasure_pseudonymises_person_records_with_one_pseudonym_per_address(scenario):
    account_erase(user=scenario.member_a)
    pseudonym = person_pseudonym_email(scenario.member_a.email)
    company = Company.objects.get(pk=scenario.world.company_a.pk)
    assert (company.contact_name, company.contact_email, company.contact_phone) == (ERASED_NAME, pseudonym, "")
    case_participant = scenario.voucher_a.company.coaching_cases.get().sessions.get().participants.get(name=ERASED_NAME)
    assert case_participant.email == pseudonym
    assert scenario.world.company_a.event_registrations.get().email == pseudonym
    assert person_pseudonym_email(PRIVATE_EMAIL) != pseudonym
    assert person_pseudonym_email(PRIVATE_EMAIL.upper()) == person_pseudonym_email(PRIVATE_EMAIL)


def test_erasure_keeps_history_with_the_anonymised_user(scenario):
    history = scenario.world.company_a.history
    count = history.count()
    account_erase(user=scenario.member_a)
    assert history.count() == count
    changed = history.filter(history_user_id=scenario.member_a.pk)
    assert changed.exists()
    assert all(record.contact_name == ERASED_NAME for record in changed)
    assert history.filter(history_type="+").exists()


def test_erasure_keeps_voucher_decisions_amounts_and_audit_trail(scenario):
    voucher = scenario.voucher_a
    events = list(voucher.events.values_list("pk", "by_id", "from_state", "to_state", "at"))
    phase_before = FundingPhase.objects.values("reserved_amount", "spent_amount").get(pk=scenario.phase.pk)

    account_erase(user=scenario.member_a)

    voucher.refresh_from_db()
    assert voucher.status == "approved"
    assert voucher.voucher_number.startswith("ISR-")
    assert voucher.approved_amount == Decimal("5000.00")
    assert voucher.created_by_id == scenario.member_a.pk
    assert [Decimal(amount) for amount in voucher.deminimis_aids.values_list("amount", flat=True)] == [
        Decimal("12000.00")
    ]
    assert list(voucher.events.values_list("pk", "by_id", "from_state", "to_state", "at")) == events
    assert voucher.events.get(to_state="submitted").note.startswith(f"Eingereicht von {ERASED_NAME}")
    assert Attachment.objects.get(application=voucher).original_name == f"Angebot {ERASED_NAME}.pdf"
    assert FundingPhase.objects.values("reserved_amount", "spent_amount").get(pk=scenario.phase.pk) == phase_before


def _figures(phase) -> dict:
    period = indicators.Range(phase.start, phase.end)
    return {
        "enterprises": indicators.enterprise_indicators(phase=phase, period=period),
        "coaching": indicators.coaching_figures(period=period),
        "coaching_from_the_phase_start": indicators.coaching_figures(period=period, phase=phase),
        "coaching_from_the_sources": indicators.coaching_figures(period=period, source="facts"),
        "vouchers": indicators.voucher_totals(phase=phase, period=period),
        "annex": list(indicators.supported_companies_annex(phase=phase, period=period)),
        "people_reached": people_reached(),
    }


def test_erasure_keeps_indicator_figures(scenario):
    facts.rebuild()  # the scenario is built from factories, not through the services
    before = _figures(scenario.phase)
    # The person under two addresses, a colleague, a B employee, member_b at the event.
    assert before["people_reached"] == 5
    assert before["coaching"]["people_reached"] == 5
    assert before["enterprises"]["supported"] == 2
    account_erase(user=scenario.member_a)
    assert _figures(scenario.phase) == before


def test_erasure_leaves_other_people_untouched(scenario):
    member_b = scenario.member_b

    def snapshot():
        return (
            User.objects.values().get(pk=member_b.pk),
            list(EmailAddress.objects.filter(user=member_b).values()),
            list(Membership.objects.filter(user=member_b).values()),
            Company.objects.values().get(pk=scenario.world.company_b.pk),
            list(Company.history.filter(id=scenario.world.company_b.pk).values()),
            type(scenario.colleague).objects.values().get(pk=scenario.colleague.pk),
            type(scenario.b_person).objects.values().get(pk=scenario.b_person.pk),
            type(scenario.b_registration).objects.values().get(pk=scenario.b_registration.pk),
            list(scenario.voucher_b.events.values()),
        )

    before = snapshot()
    account_erase(user=scenario.member_a)
    assert snapshot() == before
    assert Client().login(email=member_b.email, password=TEST_PASSWORD)


def test_erasure_records_an_audit_line_without_personal_data(scenario):
    erasure = account_erase(user=scenario.member_a)
    assert AccountErasure.objects.get().user_id == scenario.member_a.pk
    assert erasure.erased_at <= timezone.now()
    text = "\n".join(_text_values(erasure) + [str(erasure)]).lower()
    assert all(needle.lower() not in text for needle in [NAME, *scenario.emails, PHONE])


# --- views --------------------------------------------------------------------------------------


def test_erasure_view_erases_logs_out_and_ends_every_session(client, scenario):
    member_a = scenario.member_a
    other_device = Client()
    other_device.force_login(member_a)
    client.force_login(member_a)

    response = client.post(reverse("privacy_erase"), {"password": TEST_PASSWORD, "confirm": "on"})

    assert response.status_code == 200
    assert "accounts/privacy_erased.html" in [template.name for template in response.templates]
    assert AccountErasure.objects.filter(user_id=member_a.pk).exists()
    for browser in (client, other_device):
        response = browser.get(reverse("privacy"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_login_is_impossible_after_erasure(client, scenario):
    old_email = scenario.member_a.email
    account_erase(user=scenario.member_a)
    assert not client.login(email=old_email, password=TEST_PASSWORD)
    assert not client.login(email=f"erased-{scenario.member_a.pk}@invalid.example", password=TEST_PASSWORD)
    response = client.post(reverse("account_login"), {"login": old_email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "data",
    [{"password": "falsch", "confirm": "on"}, {"password": TEST_PASSWORD}, {}],
    ids=["wrong password", "not confirmed", "empty"],
)
def test_erasure_needs_password_and_confirmation(client, scenario, data):
    client.force_login(scenario.member_a)
    response = client.post(reverse("privacy_erase"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    user = User.objects.get(pk=scenario.member_a.pk)
    assert user.is_active and user.email == scenario.member_a.email
    assert not AccountErasure.objects.exists()


@pytest.mark.parametrize("role", ["coach", "staff", "funder", "admin"])
def test_programme_roles_cannot_erase_themselves(client, world, role):
    user = world.users[role]
    client.force_login(user)
    page = client.get(reverse("privacy"))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert reverse("privacy_erase") not in page.content.decode()
    response = client.post(reverse("privacy_erase"), {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password()


def test_coach_erased_by_an_administrator_keeps_cases_assigned(world):
    coach = CoachFactory(first_name="Clara", last_name="Coach-Löschbar")
    case = CaseFactory(company=world.company_a, coach=coach)
    account_erase(user=coach)
    case.refresh_from_db()
    assert case.coach_id == coach.pk
    assert str(User.objects.get(pk=coach.pk)) == f"erased-{coach.pk}@invalid.example"


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("de", "Datenschutz und Ihre Daten", "Meine Daten herunterladen (ZIP)"),
        ("en", "Privacy and your data", "Download my data (ZIP)"),
    ],
)
def test_privacy_page_is_linked_and_translated(client, world, language, heading, button):
    client.force_login(world.users["member_a"])
    client.cookies["django_language"] = language
    dashboard = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'href="{reverse("privacy")}"' in dashboard
    page = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page and button in page
    assert 'name="password"' in page


def test_an_administrator_erases_a_coach_after_confirming(client, world):
    coach = world.users["coach"]
    admin_user = world.users["admin"]
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_user_changelist")
    selection = {"action": "erase_accounts", "_selected_action": [coach.pk, admin_user.pk]}

    confirmation = client.post(changelist, selection)
    assert confirmation.status_code == 200
    assert coach.email in confirmation.content.decode()
    assert admin_user.email not in confirmation.content.decode()
    assert not AccountErasure.objects.exists()

    response = client.post(changelist, {**selection, "confirmed": "yes"})
    assert response.status_code == 302
    assert list(AccountErasure.objects.values_list("user_id", flat=True)) == [coach.pk]
    coach.refresh_from_db()
    assert coach.email == f"erased-{coach.pk}@invalid.example" and not coach.is_active
    assert client.get(reverse("admin:accounts_accounterasure_changelist")).status_code == 200


def test_erasure_form_survives_hostile_input(client, world):
    """Hostile input never erases without the right password, never fails with a 5xx, never echoes markup."""
    member_a = world.users["member_a"]
    url = reverse("privacy_erase")

    @hypothesis_settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=hostile_payloads({"password": TEST_PASSWORD, "confirm": "on"}))
    def example(payload):
        with transaction.atomic():
            client.force_login(member_a)
            response = client.post(url, payload)
            assert response.status_code == 200
            assert all(marker not in response.content for marker in UNESCAPED_MARKERS)
            if AccountErasure.objects.exists():
                assert payload.get("password") == TEST_PASSWORD
            transaction.set_rollback(True)

    example()


def test_export_lists_files_uploaded_for_a_former_company_without_the_file(scenario):
    Membership.objects.filter(user=scenario.member_a).delete()
    documents, stored = personal_data(user=scenario.member_a)
    [listed] = documents["files.json"]
    assert listed["application_id"] == scenario.voucher_a.pk and "path_in_this_archive" not in listed
    assert stored == []
    assert documents["voucher_applications.json"] == []


def test_export_queries_do_not_grow_with_the_data(scenario):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            personal_data(user=scenario.member_a)
        return len(captured)

    before = queries()
    # 25 + four for the notifications, their settings, messages written and mails sent.
    assert before <= 29
    company = scenario.world.company_a
    for _ in range(3):
        session = SessionFactory(case=CaseFactory(company=company), status=SessionStatus.HELD)
        SessionParticipantFactory(session=session)
        NextStepFactory(case=session.case)
        approved_application(company=company, created_by=scenario.member_a, phase=scenario.phase)
    assert queries() == before


def test_erasure_scrubs_free_text_on_sqlite_too(tmp_path, django_db_blocker):
    """`make run` is SQLite, which has no REGEXP_REPLACE: every SQLite connection gets one that scrubs as
    PostgreSQL's does with the flags erasure uses (every match, any case, literal replacement)."""
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")}})
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT REGEXP_REPLACE(%s, %s, %s, 'gi'), REGEXP_REPLACE(%s, %s, %s, 'i')",
                ["Erika Muster rief an; ERIKA MUSTER (a.b@x.de)", r"Erika\ Muster", r"[\1]", "a a", "a", "b"],
            )
            assert cursor.fetchone() == ("[\\1] rief an; [\\1] (a.b@x.de)", "b a")
    finally:
        connection.close()
