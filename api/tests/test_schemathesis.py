"""The API fuzzed from its live OpenAPI schema (schemathesis): for every operation and every role's
token (and none), generated requests never get a 5xx, and every answer matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.tests import api_authz
from api.tests.factories import token_for

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app(db):
    """The portal's WSGI application, answering in the test's transaction.

    Like Django's test client, requests do not close the database connection at their start and end
    (that would end the test's transaction).
    """
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(world, settings):
    # The fuzzer sends many requests per token; the rate limits are tested in test_tokens.py.
    rates = {"token": "100000/hour", "anonymous": "100000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_authz.build(world)
    headers = {role: {"Authorization": f"Bearer {token_for(user)}"} for role, user in world.users.items()}
    return {"anonymous": {}, **headers}


# Each generated request goes out with a few roles' tokens in turn (every role gets about three per
# operation); an operation with few possible requests is then sent with the tokens not used yet.
ROLES_PER_EXAMPLE = 3


def _fuzz(operation, role_headers: dict) -> None:
    roles = list(role_headers)
    sent = {"count": 0, "roles": set(), "last": None}

    @given(case=operation.as_strategy())
    @settings(max_examples=10, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def call_as_roles(case):
        start = sent["count"] * ROLES_PER_EXAMPLE
        sent["count"] += 1
        sent["last"] = case
        for index in range(start, start + ROLES_PER_EXAMPLE):
            role = roles[index % len(roles)]
            sent["roles"].add(role)
            case.call_and_validate(headers=role_headers[role], checks=CHECKS)

    call_as_roles()
    for role in roles:
        if role not in sent["roles"]:
            sent["last"].call_and_validate(headers=role_headers[role], checks=CHECKS)


# schemathesis's pytest integration (from_fixture) does not run on pytest 9 (it sets a private
# attribute pytest dropped), so each operation's strategy runs under hypothesis here directly.
def test_api_answers_every_role_within_its_schema(wsgi_app, role_headers):
    api_schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14, [operation.label for operation in operations]
    failures = {}
    for operation in operations:
        try:
            _fuzz(operation, role_headers)
        except Exception as error:  # noqa: BLE001 - every operation's failure is reported together
            failures[operation.label] = error
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())
