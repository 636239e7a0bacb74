import pytest
from django.urls import reverse

from accounts.tests.factories import CoachFactory, FunderFactory, StaffFactory, UserFactory
from companies.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_visitors_see_the_landing_page(client):
    response = client.get(reverse("dashboard"))
    assert [t.name for t in response.templates][0] == "dashboard/landing.html"
    assert reverse("account_signup") in response.content.decode()


@pytest.mark.parametrize(
    ("factory", "template"),
    [
        (UserFactory, "dashboard/company.html"),
        (CoachFactory, "dashboard/coach.html"),
        (StaffFactory, "dashboard/staff.html"),
        (FunderFactory, "dashboard/funder.html"),
    ],
)
def test_each_role_has_its_dashboard(client, factory, template):
    client.force_login(factory())
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.templates[0].name == template


def test_company_dashboard_lists_the_users_companies(client):
    membership = MembershipFactory()
    MembershipFactory()
    client.force_login(membership.user)
    response = client.get(reverse("dashboard"))
    assert list(response.context["companies"]) == [membership.company]


def test_german_is_the_default_and_english_can_be_chosen(client):
    user = UserFactory()
    client.force_login(user)
    assert "Unternehmen registrieren" in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")})
    assert response["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert user.language == "en"
    assert "Register a company" in client.get(reverse("dashboard")).content.decode()


def test_an_unknown_language_is_not_stored(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"


def test_navigation_shows_each_role_what_it_can_do(client):
    client.force_login(UserFactory())
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("companies:list") in html
    assert reverse("admin:index") not in html
    client.force_login(FunderFactory())
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("companies:list") not in html
