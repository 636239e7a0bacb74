import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory, UserFactory
from companies.models import Company, Invitation, Membership
from programme.choices import SizeClass

from .factories import CompanyFactory, MembershipFactory
from .test_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    membership = MembershipFactory(company__name="Hoesch Präzisionsteile", company__postcode="44147")
    client.force_login(membership.user)
    return membership


def test_register_a_company_with_german_numbers(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("companies:create"), form_data(), HTTP_ACCEPT_LANGUAGE="de")
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    assert company.annual_turnover == Decimal("1234567.89")
    assert company.size_class == SizeClass.SMALL
    assert Membership.objects.filter(company=company, user=user).exists()


def test_bad_input_is_shown_at_the_field_accessibly(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("companies:create"), form_data(postcode="4413", staff_headcount="-3"), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_postcode_error"' in html
    assert 'id="id_postcode_error"' in html
    assert "genau fünf Ziffern" in html
    assert 'aria-describedby="id_staff_headcount_error"' in html
    assert not Company.objects.exists()


def test_duplicate_registration_gets_a_hint_at_the_name(client, member):
    client.force_login(UserFactory())
    response = client.post(reverse("companies:create"), form_data(name="hoesch präzisionsteile", postcode="44147"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'aria-describedby="id_name_error"' in response.content.decode()
    assert Company.objects.count() == 1


def test_profile_shows_german_amounts_and_the_size_class(client, member):
    company = member.company
    company.annual_turnover = Decimal("1234567.89")
    company.save()
    response = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert "1.234.567,89 €" in html
    assert company.get_size_class_display() in html or "Kleines Unternehmen" in html
    assert 'data-testid="not-sme-notice"' not in html


def test_non_sme_gets_a_notice(client):
    membership = MembershipFactory(
        company__staff_headcount=Decimal("400"), company__annual_turnover=Decimal("90000000")
    )
    client.force_login(membership.user)
    response = client.get(reverse("companies:detail", args=[membership.company.pk]))
    assert 'data-testid="not-sme-notice"' in response.content.decode()


def test_edit_records_history_shown_on_the_history_page(client, member):
    company = member.company
    response = client.post(
        reverse("companies:edit", args=[company.pk]),
        form_data(name=company.name, postcode=company.postcode, city="Dortmund-Hörde"),
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.city == "Dortmund-Hörde"
    response = client.get(reverse("companies:history", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert member.user.email in html
    assert "Dortmund-Hörde" in html


def test_staff_may_edit_and_is_recorded_as_the_editor(client):
    company = CompanyFactory()
    staff = StaffFactory()
    client.force_login(staff)
    client.post(reverse("companies:edit", args=[company.pk]), form_data(name=company.name, postcode=company.postcode))
    assert company.history.latest().history_user == staff


def test_invite_a_colleague(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:invite", args=[member.company.pk]),
            {"email": "kollege@example.com", "submission_token": uuid.uuid4()},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(company=member.company, email="kollege@example.com").exists()
    assert mail.outbox[0].to == ["kollege@example.com"]


def test_inviting_a_member_is_an_error_at_the_field(client, member):
    response = client.post(
        reverse("companies:invite", args=[member.company.pk]),
        {"email": member.user.email, "submission_token": uuid.uuid4()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


def test_accept_an_invitation(client):
    invitation = Invitation.objects.create(company=CompanyFactory(), email="kollege@example.com")
    client.force_login(UserFactory(email="kollege@example.com"))
    response = client.post(reverse("companies:invitation_accept", args=[invitation.token]))
    assert response["Location"] == reverse("companies:detail", args=[invitation.company.pk])
    assert Membership.objects.filter(company=invitation.company, user__email="kollege@example.com").exists()


def test_an_invitation_for_someone_else_is_refused(client):
    invitation = Invitation.objects.create(company=CompanyFactory(), email="kollege@example.com")
    client.force_login(UserFactory(email="fremd@example.com"))
    response = client.post(reverse("companies:invitation_accept", args=[invitation.token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert not Membership.objects.exists()
    assert [str(message) for message in response.context["messages"]]


def test_company_list_is_cheap_and_scoped(client, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory()
    client.force_login(StaffFactory())
    # Constant: the page, its count, the partner choices of the filter and the navigation's bell.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("companies:list"))
    assert response.context["page"].paginator.count == 15
    member = Membership.objects.first()
    client.force_login(member.user)
    response = client.get(reverse("companies:list"))
    assert list(response.context["page"]) == [member.company]


def test_search_by_name_or_city(client):
    CompanyFactory(name="Hagener Federnwerk", city="Hagen")
    CompanyFactory(name="Bochumer Feinwerk", city="Bochum")
    client.force_login(StaffFactory())
    response = client.get(reverse("companies:list"), {"q": "hagen"})
    assert [company.name for company in response.context["page"]] == ["Hagener Federnwerk"]


def test_a_member_revokes_an_open_invitation(client, member):
    invitation = Invitation.objects.create(company=member.company, email="kollege@example.com")
    detail = client.get(reverse("companies:detail", args=[member.company.pk])).content.decode()
    assert reverse("companies:invitation_revoke", args=[invitation.pk]) in detail

    response = client.post(reverse("companies:invitation_revoke", args=[invitation.pk]), HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert client.get(reverse("companies:invitation_accept", args=[invitation.token])).status_code == 404


def test_an_accepted_invitation_cannot_be_revoked(client, member):
    invitation = Invitation.objects.create(
        company=member.company, email="kollege@example.com", accepted_at=timezone.now()
    )
    assert client.post(reverse("companies:invitation_revoke", args=[invitation.pk])).status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_another_companys_member_cannot_revoke(client, member):
    invitation = Invitation.objects.create(company=CompanyFactory(), email="kollege@example.com")
    assert client.post(reverse("companies:invitation_revoke", args=[invitation.pk])).status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.parametrize(
    ("name", "legal_form", "shown"),
    [
        ("Ruhr Zerspanung GmbH", "gmbh", ""),
        ("Ruhr Zerspanung", "gmbh", "GmbH"),
        ("Muster Bau GmbH & Co. KG", "gmbh_co_kg", ""),
        ("Max Muster e.K.", "ek", ""),
        ("Klein UG (haftungsbeschränkt)", "ug", ""),
        ("Klein UG", "ug", ""),
        ("Tischlerei Meier", "sole", ""),
    ],
)
def test_the_legal_form_is_not_written_twice(client, name, legal_form, shown):
    company = CompanyFactory(name=name, legal_form=legal_form)
    assert company.legal_form_to_show == shown
    client.force_login(StaffFactory())
    html = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert heading.count("GmbH") <= 1 and heading.count("UG") <= 1 and heading.count("KG") <= 1
