"""Privileged roles are logged out after PRIVILEGED_SESSION_AGE seconds without a request."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.middleware import PrivilegedSessionTimeoutMiddleware

STAMP = PrivilegedSessionTimeoutMiddleware.LAST_ACTIVITY
PRIVILEGED = ("coach", "staff", "funder", "admin")


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[STAMP] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize("role", PRIVILEGED)
@override_settings(PRIVILEGED_SESSION_AGE=1800)
def test_privileged_session_gets_the_short_expiry(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 1800
    assert response.cookies["sessionid"]["max-age"] == 1800


@pytest.mark.parametrize("role", PRIVILEGED)
@override_settings(PRIVILEGED_SESSION_AGE=1800)
def test_idle_privileged_session_is_logged_out(client, world, role):
    client.force_login(world.users[role])
    client.get(reverse("dashboard"))
    _age_session(client, 1801)
    response = client.get(reverse("companies:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@override_settings(PRIVILEGED_SESSION_AGE=1800)
def test_active_privileged_session_stays_and_is_refreshed(client, world):
    client.force_login(world.users["staff"])
    client.get(reverse("dashboard"))
    _age_session(client, 1700)
    assert client.get(reverse("companies:list")).status_code == 200
    assert time.time() - client.session[STAMP] < 5


@override_settings(PRIVILEGED_SESSION_AGE=1800)
def test_company_members_keep_the_normal_session(client, world, settings):
    client.force_login(world.users["member_a"])
    client.get(reverse("dashboard"))
    assert STAMP not in client.session
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
