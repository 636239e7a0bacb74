"""A TOTP code entered a second time says it was already used and to wait for the next one."""

import pytest
from django.urls import reverse

from accounts.tests.browser import current_totp
from accounts.tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db


def _second_step(client, user):
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_reused_code_is_named_as_used_and_a_wrong_one_as_wrong(client):
    staff = StaffFactory()
    code = current_totp()

    _second_step(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302

    _second_step(client, staff)
    response = client.post(reverse("mfa_authenticate"), {"code": code}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert "bereits verwendet" in html and "nächsten Code" in html

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="de")
    assert "bereits verwendet" not in response.content.decode()
