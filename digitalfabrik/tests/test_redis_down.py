"""The portal with its cache Redis down: pages answer, logins work, rate limits fail open and say so.

The cache is configured as production configures it (settings.base.cache_from_url) but points at a
port where nothing listens, or at a "black hole" that never completes a connection. The real
redis-server killed under a running gunicorn is in test_redis_down_live.py.
"""

import logging
import socket
import time

import pytest
from django.urls import reverse

from accounts.tests.browser import current_totp
from accounts.tests.factories import TEST_PASSWORD, StaffFactory, UserFactory
from digitalfabrik.settings import base

PAGES = {
    "member_a": ["dashboard", "companies:list", "coaching:requests", "innoscheck:list"],
    "coach": ["dashboard", "coaching:caseload", "coaching:queue"],
    "staff": ["dashboard", "innoscheck:queue", "coaching:caseload"],
    "funder": ["reporting:list", "reporting:dashboard"],
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_cache_at(settings, url: str) -> None:
    settings.CACHES = {"default": base.cache_from_url(url), "template_fragments": base.cache_from_url(url)}
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.fixture
def cache_down(settings):
    use_cache_at(settings, f"redis://127.0.0.1:{closed_port()}/0")


@pytest.fixture
def black_hole():
    """A port whose accept queue is full: connecting to it hangs until the client's timeout."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.1)
        yield port
        for filler in fillers:
            filler.close()


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR="198.51.100.9")


@pytest.mark.parametrize("role", PAGES)
def test_logged_in_pages_answer_with_the_cache_down(cache_down, client, world, role):
    client.force_login(world.users[role])
    for url_name in PAGES[role]:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, url_name


def test_the_web_server_stays_ready_for_the_proxy(cache_down, client, db, settings, tmp_path):
    """The proxy's readiness probe must not take every web server out of rotation for a cache outage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get(reverse("health:ready")).status_code == 200


def test_login_works_and_the_rate_limit_failure_is_logged(cache_down, client, db, caplog):
    user = UserFactory(email="anna@example.com")
    with caplog.at_level(logging.ERROR, logger="digitalfabrik.cache"):
        response = _login(client, user.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get(reverse("dashboard")).status_code == 200
    assert any("rate limits" in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)


def test_staff_log_in_with_their_second_factor_with_the_cache_down(cache_down, client, db):
    """allauth marks a used TOTP code in the cache (no replay); unreachable, that check fails open too."""
    staff = StaffFactory(email="staff.down@example.com")
    response = _login(client, staff.email, TEST_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp()})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get(reverse("innoscheck:queue")).status_code == 200


def test_wrong_passwords_are_still_refused_with_the_cache_down(cache_down, client, db):
    user = UserFactory(email="berta@example.com")
    response = _login(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_rate_limits_fail_open_rather_than_closed(cache_down, client, db):
    """More failed attempts than the limit allows, then the right password: the cache cannot count, so it lets it in."""
    user = UserFactory(email="carla@example.com")
    for _ in range(6):
        _login(client, user.email, "not-the-password")
    assert _login(client, user.email, TEST_PASSWORD).status_code == 302


def test_a_redis_that_never_answers_costs_one_timeout_not_one_per_call(settings, black_hole, client, db, caplog):
    """A login makes about twenty cache calls; after the first has timed out the cache pauses (cache.py)."""
    use_cache_at(settings, f"redis://127.0.0.1:{black_hole}/0")
    with caplog.at_level(logging.ERROR, logger="digitalfabrik.cache"):
        started = time.monotonic()
        user = UserFactory(email="dora@example.com")
        response = _login(client, user.email, TEST_PASSWORD)
        dashboard = client.get(reverse("dashboard"))
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert dashboard.status_code == 200
    # One call waited for its timeout; one per call would be about twenty (10 s). Room for a loaded machine.
    assert elapsed < 8 * settings.REDIS_SOCKET_CONNECT_TIMEOUT, elapsed
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Timeout connecting" in errors[0]
