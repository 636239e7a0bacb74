from importlib import import_module

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import UserFactory

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


def test_outside_the_tests_passwords_are_hashed_with_argon2id_at_owasps_parameters(settings):
    """The test settings use a fast hasher; every other environment inherits base.py's Argon2id."""
    base = import_module("digitalfabrik.settings.base")
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    encoded = make_password("Ein-langes-Passwort-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Ein-langes-Passwort-2026", encoded)


def test_a_hash_made_with_djangos_argon2_defaults_verifies_and_is_rehashed_at_log_in(client, settings):
    """Passwords stored before the parameters changed keep working and are upgraded on the next log-in."""
    from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoDefaults

    settings.PASSWORD_HASHERS = import_module("digitalfabrik.settings.base").PASSWORD_HASHERS
    settings.ACCOUNT_RATE_LIMITS = False
    user = UserFactory(email="old-hash@example.com")
    hasher = DjangoDefaults()
    user.password = hasher.encode("Ein-langes-Passwort-2026", hasher.salt())
    user.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in user.password
    response = client.post(
        reverse("account_login"), {"login": "old-hash@example.com", "password": "Ein-langes-Passwort-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
