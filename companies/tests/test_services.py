import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from accounts.adapters import AccountAdapter
from accounts.tests.factories import UserFactory
from companies import selectors, services
from companies.choices import Chamber, LegalForm, WZSection
from companies.models import Company, Invitation, Membership
from programme.choices import Region, SizeClass

from .factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Match the services' messages in the source language (German is the portal's default)."""
    with translation.override("en"):
        yield


def company_data(**overrides):
    data = {
        "name": "Ruhr Zerspanung GmbH",
        "legal_form": LegalForm.GMBH,
        "street": "Rheinlanddamm 201",
        "postcode": "44139",
        "city": "Dortmund",
        "region": Region.DORTMUND,
        "chamber": Chamber.IHK_DORTMUND,
        "wz_section": WZSection.C,
        "wz_code": "25.62",
        "founding_date": datetime.date(1998, 4, 1),
        "staff_headcount": Decimal("35"),
        "annual_turnover": Decimal("4200000.00"),
        "balance_sheet_total": Decimal("2500000.00"),
        "website": "",
        "contact_name": "Erika Mustermann",
        "contact_email": "erika@ruhr-zerspanung.example",
        "contact_phone": "",
        "linked_enterprises_included": True,
    }
    data.update(overrides)
    return data


def test_company_create_makes_the_registering_user_a_member_and_derives_the_size_class():
    user = UserFactory()
    company = services.company_create(by=user, **company_data())
    assert company.size_class == SizeClass.SMALL
    assert Membership.objects.filter(company=company, user=user).exists()
    record = company.history.get()
    assert record.history_type == "+"
    assert record.history_user == user


def test_company_create_refuses_a_duplicate_name_and_postcode_whatever_the_case():
    services.company_create(by=UserFactory(), **company_data())
    with pytest.raises(ValidationError, match="already registered"):
        services.company_create(by=UserFactory(), **company_data(name="  ruhr zerspanung gmbh "))
    assert Company.objects.count() == 1


def test_same_name_in_another_postcode_is_a_different_company():
    services.company_create(by=UserFactory(), **company_data())
    services.company_create(by=UserFactory(), **company_data(postcode="44787", city="Bochum"))
    assert Company.objects.count() == 2


def test_company_create_validates_the_model():
    with pytest.raises(ValidationError) as error:
        services.company_create(by=UserFactory(), **company_data(postcode="4413", staff_headcount=Decimal("-1")))
    assert set(error.value.message_dict) == {"postcode", "staff_headcount"}
    assert not Company.objects.exists()


def test_company_update_records_who_changed_what():
    author, editor = UserFactory(), UserFactory()
    company = services.company_create(by=author, **company_data())
    services.company_update(
        company=company,
        by=editor,
        **company_data(staff_headcount=Decimal("120"), city="Dortmund-Hörde", region=Region.OTHER),
    )
    company.refresh_from_db()
    assert company.size_class == SizeClass.MEDIUM
    entries = selectors.company_history(company=company)
    assert [entry["record"].history_user for entry in entries] == [editor, author]
    assert entries[1]["created"] is True
    changed = {str(change["field"]): (change["old"], change["new"]) for change in entries[0]["changes"]}
    assert changed["city"] == ("Dortmund", "Dortmund-Hörde")
    assert changed["region"] == ("Dortmund", "Other place in the programme region")
    assert changed["staff headcount (annual work units)"] == (Decimal("35.0"), Decimal("120.0"))
    assert changed["SME class"] == ("Small enterprise", "Medium-sized enterprise")


def test_company_update_keeps_the_size_class_in_step_with_the_figures():
    company = CompanyFactory(staff_headcount=Decimal("5"), annual_turnover=Decimal("100000"))
    assert company.size_class == SizeClass.MICRO
    services.company_update(
        company=company,
        by=UserFactory(),
        **services.company_profile(company)
        | {"annual_turnover": Decimal("60000000"), "balance_sheet_total": Decimal("50000000")},
    )
    assert company.size_class == SizeClass.NOT_SME


def test_invitation_create_sends_a_mail_after_commit(django_capture_on_commit_callbacks):
    membership = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            company=membership.company, email=" Kollegin@Example.com ", by=membership.user
        )
    assert invitation.email == "kollegin@example.com"
    assert invitation.invited_by == membership.user
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kollegin@example.com"]
    assert membership.company.name in message.subject
    assert str(invitation.token) in message.body
    assert "/accounts/signup/" in message.body


def test_inviting_again_reuses_the_open_invitation(django_capture_on_commit_callbacks):
    membership = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_create(company=membership.company, email="a@example.com", by=membership.user)
        second = services.invitation_create(company=membership.company, email="A@example.com", by=membership.user)
    assert first == second
    assert len(mail.outbox) == 2


def test_members_cannot_be_invited_again():
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(company=membership.company, email=membership.user.email.upper(), by=membership.user)


def test_invitation_accept_adds_the_member():
    invitation = Invitation.objects.create(company=CompanyFactory(), email="neu@example.com")
    user = UserFactory(email="Neu@Example.com")
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert membership.company == invitation.company
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(invitation=invitation, user=user)


def test_invitation_for_another_address_is_refused():
    invitation = Invitation.objects.create(company=CompanyFactory(), email="neu@example.com")
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="fremd@example.com"))
    assert not Membership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def _unverified_user(email):
    user = UserFactory(email=email, verified=False)
    return user, EmailAddress.objects.get(user=user)


def _request():
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_confirming_the_email_joins_every_inviting_company():
    company_a, company_b = CompanyFactory(), CompanyFactory()
    Invitation.objects.create(company=company_a, email="neu@example.com")
    Invitation.objects.create(company=company_b, email="NEU@example.com")
    user, address = _unverified_user("neu@example.com")
    assert AccountAdapter().confirm_email(_request(), address) is True
    address.refresh_from_db()
    assert address.verified
    assert set(Membership.objects.filter(user=user).values_list("company", flat=True)) == {company_a.pk, company_b.pk}
    assert not Invitation.objects.filter(accepted_at__isnull=True).exists()


def test_confirming_another_email_joins_nothing():
    Invitation.objects.create(company=CompanyFactory(), email="eingeladen@example.com")
    user, address = _unverified_user("jemand@example.com")
    assert AccountAdapter().confirm_email(_request(), address) is True
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get().accepted_at is None
