import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import middleware
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


def _authenticator_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("mfa_authenticator" in query["sql"] for query in queries.captured_queries)


def test_totp_presence_is_looked_up_once_and_then_remembered_in_the_session(client):
    client.force_login(StaffFactory())
    assert _authenticator_queries(client, reverse("dashboard")) == 1
    assert _authenticator_queries(client, reverse("dashboard")) == 0


def test_totp_removed_elsewhere_is_noticed_after_the_recheck_interval(client, monkeypatch):
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    Authenticator.objects.filter(user=user).delete()
    later = time.time() + middleware.TOTP_RECHECK_AFTER + 1
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_removing_an_authenticator_makes_the_next_request_check_again(client):
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    request = RequestFactory().get("/")
    request.session = client.session
    assert middleware.TOTP_CHECKED in request.session
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    authenticator_removed.send(sender=Authenticator, request=request, user=user, authenticator=authenticator)
    assert middleware.TOTP_CHECKED not in request.session
    request.session.save()
    authenticator.delete()
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")
