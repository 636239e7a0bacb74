from importlib import import_module

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "Werkbank-Fräse-2026"


def sign_up(client, email, language):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_new_user_is_a_company_member_in_the_language_of_sign_up(
    client, language, django_capture_on_commit_callbacks
):
    # The verification mail is an outbox row, sent once the request's transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "neu@example.com", language)
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.com")
    assert user.role == Role.COMPANY
    assert user.language == language
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 1


def test_unverified_users_cannot_log_in(client):
    sign_up(client, "neu@example.com", "de")
    response = client.post(reverse("account_login"), {"login": "neu@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("companies:create")).status_code == 302


def test_outside_the_tests_passwords_are_hashed_with_argon2():
    """The test settings use a fast hasher; every other environment inherits base.py's Argon2."""
    base = import_module("digitalfabrik.settings.base")
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
