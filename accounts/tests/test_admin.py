import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD, AdminFactory, UserFactory
from companies.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_the_admin_login_goes_through_allauth_and_its_second_factor(client):
    AdminFactory(email="admin@example.com")
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post(reverse("admin:login"), {"username": "admin@example.com", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": "admin@example.com", "password": TEST_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_admins_manage_users_and_companies_with_history(client):
    company = CompanyFactory()
    client.force_login(AdminFactory())
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:companies_company_change", args=[company.pk])).status_code == 200
    assert client.get(reverse("admin:companies_company_history", args=[company.pk])).status_code == 200


def test_company_users_do_not_get_into_the_admin(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
