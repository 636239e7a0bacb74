import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.tests.factories import CoachFactory, FunderFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [StaffFactory, CoachFactory, FunderFactory])
def test_privileged_user_without_totp_must_activate_it_first(client, factory):
    user = factory(totp=False)
    client.force_login(user)
    for url in [reverse("dashboard"), reverse("companies:list"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


def test_the_activation_and_account_pages_stay_reachable(client):
    client.force_login(StaffFactory(totp=False))
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_privileged_user_with_totp_gets_in(client):
    user = StaffFactory()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200


def test_company_user_is_not_forced_to_use_two_factor_login(client):
    user = UserFactory()
    assert not Authenticator.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("companies:create")).status_code == 200


def test_superuser_counts_as_privileged(client):
    user = UserFactory(is_superuser=True, is_staff=True, totp=False)
    client.force_login(user)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")
