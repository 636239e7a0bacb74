"""gunicorn with the production settings while its cache Redis (a redis-server of this test) is killed.

Logged-in pages and logins keep working with sessions from the database; the rate-limit failure is
logged as a JSON error line; once Redis is back, the rate limits count again.
"""

import json
import time

import pytest

from accounts.tests.factories import TEST_PASSWORD, UserFactory

from .servers import Browser, free_port, gunicorn, set_production_password, start_redis, stop

WRONG = "definitely-not-the-password"
# Seconds the cache leaves Redis alone after a failure (REDIS_CACHE_RETRY_AFTER).
RETRY_AFTER = 1


def _errors(log_path) -> list[dict]:
    entries = []
    for line in log_path.read_text().splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return [entry for entry in entries if entry.get("level") == "ERROR"]


@pytest.mark.django_db(transaction=True)
def test_the_portal_keeps_working_while_the_cache_redis_is_down(tmp_path, production_static):
    member = UserFactory(email="anna@example.com")
    other = UserFactory(email="bernd@example.com")
    for user in (member, other):
        set_production_password(user, TEST_PASSWORD)
    redis_port = free_port()
    redis = start_redis(redis_port)
    log = tmp_path / "gunicorn.log"
    try:
        with gunicorn(
            production_static,
            log,
            CACHE_URL=f"redis://127.0.0.1:{redis_port}/0",
            REDIS_CACHE_RETRY_AFTER=str(RETRY_AFTER),
        ) as base:
            anna = Browser(base)
            assert anna.log_in(member.email, TEST_PASSWORD).status == 302
            assert anna.request("/").status == 200
            assert _errors(log) == []

            stop(redis, kill=True)
            assert anna.request("/").status == 200
            assert anna.request("/companies/").status == 200
            bernd = Browser(base)
            assert bernd.log_in(other.email, TEST_PASSWORD).status == 302
            assert bernd.request("/").status == 200
            errors = _errors(log)
            assert errors, log.read_text()
            assert {entry["logger"] for entry in errors} == {"digitalfabrik.cache"}
            assert "rate limits" in errors[0]["message"]

            # Redis back: after the pause the cache is used again and the rate limits count.
            redis = start_redis(redis_port)
            time.sleep(RETRY_AFTER + 0.2)
            intruder = Browser(base)
            for _ in range(5):
                assert intruder.log_in(other.email, WRONG).status == 200
            refused = intruder.log_in(other.email, TEST_PASSWORD)
            assert refused.status == 200
            assert "sessionid" not in intruder.cookies
    finally:
        stop(redis, kill=True)
