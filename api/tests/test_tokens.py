"""Personal access tokens: stored hashed, shown once, expiring, revocable, scoped, logged, rate limited."""

import datetime
import hashlib
import logging
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from redis import Redis

from accounts.tests.browser import current_totp
from accounts.tests.factories import TEST_PASSWORD, FunderFactory, StaffFactory, UserFactory
from api import services
from api.models import ApiToken
from api.scopes import Scope
from api.tests.factories import bearer, token_for
from digitalfabrik.settings.base import cache_from_url
from digitalfabrik.tests.servers import redis_url

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
COMPANIES = "/api/v1/companies/"
INDICATORS = "/api/v1/indicators/"


def test_only_the_hash_of_the_secret_is_stored():
    user = UserFactory()
    secret = token_for(user)
    token = ApiToken.objects.get(user=user)
    assert secret.startswith("dfp_") and len(secret) > 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:10]
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert secret not in stored


def test_a_token_is_valid_for_at_most_a_year():
    user = UserFactory()
    with pytest.raises(ValidationError):
        token_for(user, days=366)
    with pytest.raises(ValidationError):
        token_for(user, scopes=[])
    with pytest.raises(ValidationError):
        token_for(user, scopes=["everything"])
    assert token_for(user, days=365)


def test_a_valid_token_opens_the_api_logs_the_use_and_stamps_it(client, caplog):
    user = UserFactory()
    secret = token_for(user)
    with caplog.at_level(logging.INFO, logger="api.services"):
        response = client.get(COMPANIES, **bearer(secret))
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is not None
    assert f"API token {token.pk} ({token.prefix}) of user {user.pk}: GET {COMPANIES}" in caplog.text
    assert secret not in caplog.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer dfp_unknown"},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Token abc"},
    ],
    ids=["none", "unknown", "empty", "other scheme"],
)
def test_without_a_valid_token_the_answer_is_401_as_problem_details(client, headers):
    response = client.get(COMPANIES, **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    problem = response.json()
    assert problem["status"] == 401 and problem["type"] == "about:blank" and problem["instance"] == COMPANIES
    assert problem["title"] == "Unauthorized" and problem["detail"]


def test_an_expired_token_gets_401(client):
    user = UserFactory()
    secret = token_for(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(COMPANIES, **bearer(secret)).status_code == 401


def test_a_revoked_token_gets_401(client):
    user = UserFactory()
    secret = token_for(user)
    assert client.get(COMPANIES, **bearer(secret)).status_code == 200
    services.token_revoke(token=ApiToken.objects.get(user=user), by=user)
    assert client.get(COMPANIES, **bearer(secret)).status_code == 401


def test_the_token_of_a_deactivated_account_gets_401(client):
    user = UserFactory()
    secret = token_for(user)
    user.is_active = False
    user.save()
    assert client.get(COMPANIES, **bearer(secret)).status_code == 401


def test_a_token_without_the_scope_gets_403(client):
    funder = FunderFactory()
    secret = token_for(funder, scopes=[Scope.REPORTS_READ])
    response = client.get(INDICATORS, **bearer(secret))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "indicators:read" in response.json()["detail"]
    assert client.get("/api/v1/reports/", **bearer(secret)).status_code == 200
    write = client.post("/api/v1/reports/", data={}, content_type="application/json", **bearer(secret))
    assert write.status_code == 403 and "reports:write" in write.json()["detail"]


def test_tokens_are_rate_limited_each_on_its_own(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "anonymous": "2/min"},
    }
    user = UserFactory()
    first, second = token_for(user, name="eins"), token_for(user, name="zwei")
    assert [client.get(COMPANIES, **bearer(first)).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(COMPANIES, **bearer(first))
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0 and limited.json()["retry_after"] > 0
    assert client.get(COMPANIES, **bearer(second)).status_code == 200
    # The public endpoints count per client address.
    assert [client.get(EVENTS).status_code for _ in range(3)] == [200, 200, 429]


def test_the_counters_live_in_redis_one_per_token(client, settings):
    """As in production: the default cache is a Redis (cache_from_url), and each token has its own counter there."""
    url = redis_url()
    prefix = f"api-throttle-test-{uuid.uuid4()}"
    settings.CACHES = {"default": {**cache_from_url(url), "KEY_PREFIX": prefix}}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/min", "anonymous": "1/min"},
    }
    user = UserFactory()
    first, second = token_for(user, name="eins"), token_for(user, name="zwei")
    assert [client.get(COMPANIES, **bearer(secret)).status_code for secret in (first, first, first)] == [200, 200, 429]
    assert client.get(COMPANIES, **bearer(second)).status_code == 200
    redis = Redis.from_url(url)
    try:
        counters = {key.decode().removeprefix(f"{prefix}:1:") for key in redis.scan_iter(f"{prefix}:*")}
        tokens = ApiToken.objects.filter(user=user).order_by("pk")
        assert counters == {f"throttle_token_{token.pk}" for token in tokens}
        first_counter = cache.get(f"throttle_token_{tokens[0].pk}")
        assert len(first_counter) == 2  # the two requests let through; the refused one is not counted
    finally:
        redis.delete(*redis.scan_iter(f"{prefix}:*"))
        redis.close()


def test_rate_limits_fail_open_when_the_cache_is_down(client, settings, free_port_number):
    settings.CACHES = {
        "default": {
            "BACKEND": "digitalfabrik.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port_number}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1/min", "anonymous": "1/min"},
    }
    secret = token_for(UserFactory())
    assert [client.get(COMPANIES, **bearer(secret)).status_code for _ in range(3)] == [200, 200, 200]


@pytest.fixture
def free_port_number():
    from conftest import free_port

    return free_port()


# The pages of the account area ----------------------------------------------------------------------


def test_a_company_member_creates_a_token_and_sees_it_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("api_tokens:create"),
        {
            "name": "Website",
            "scopes": ["applications:read", "coaching:read"],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.encode() in response.content
    token = ApiToken.objects.get(user=user)
    assert token.scopes == ["applications:read", "coaching:read"] and token.name == "Website"
    listing = client.get(reverse("api_tokens:list"))
    assert b"Website" in listing.content and token.prefix.encode() in listing.content
    assert secret.encode() not in listing.content


@pytest.mark.parametrize(("days", "created"), [(365, True), (366, False), (400, False)])
def test_the_form_takes_an_expiry_of_at_most_one_year(client, days, created):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("api_tokens:create"),
        {
            "name": "Lang",
            "scopes": ["companies:read"],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=days)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert ApiToken.objects.exists() is created
    assert bool(response.context.get("secret")) is created
    if not created:
        assert response.context["form"].errors["expires_on"]


def test_the_list_shows_when_each_token_was_last_used(client):
    user = UserFactory()
    used, unused = token_for(user, name="Benutzt"), token_for(user, name="Unbenutzt")
    assert unused
    assert client.get(COMPANIES, **bearer(used)).status_code == 200
    last_used = ApiToken.objects.get(name="Benutzt").last_used_at
    client.force_login(user)
    listing = client.get(reverse("api_tokens:list")).content.decode()
    with translation.override("de"):
        shown = formats.date_format(timezone.localtime(last_used), "SHORT_DATETIME_FORMAT")
    used_row, unused_row = (
        listing.split(f"<td>{name}</td>", 1)[1].split("</tr>", 1)[0] for name in ("Benutzt", "Unbenutzt")
    )
    assert f"<td>{shown}</td>" in used_row
    assert "<td>nie</td>" in unused_row


def test_staff_confirm_their_second_factor_before_creating_a_token(client):
    staff = StaffFactory()
    # A session without a passed second factor (e.g. opened before the factor was required).
    client.force_login(staff)
    response = client.get(reverse("api_tokens:create"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    # A real login: password, then the TOTP code.
    client.logout()
    login = client.post(reverse("account_login"), {"login": staff.email, "password": TEST_PASSWORD})
    assert login["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": current_totp()}).status_code == 302
    response = client.post(
        reverse("api_tokens:create"),
        {
            "name": "Auswertung",
            "scopes": ["indicators:read"],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 200 and response.context["secret"]
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_only_the_owner_revokes_a_token(client):
    owner, other = UserFactory(), UserFactory()
    secret = token_for(owner)
    token = ApiToken.objects.get(user=owner)
    client.force_login(other)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 403
    client.force_login(owner)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(COMPANIES, **bearer(secret)).status_code == 401


def test_token_use_is_logged_even_where_the_root_logger_only_takes_warnings():
    from digitalfabrik.settings.base import logging_config

    config = logging_config(log_format="json")
    assert config["loggers"]["api"]["level"] == "INFO"
