"""Every API endpoint × every role (with a token of every scope) → the expected status.

A URL of the API without an entry in api/tests/api_authz.py fails the suite.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.tests import api_authz as authz
from api.tests.factories import bearer, token_for
from digitalfabrik.testing import ROLES


def _api_url_names(patterns=None, namespace=None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_url_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace == "api":
            yield f"api:{entry.name}"


def test_every_api_url_has_an_authorization_case():
    names = set(_api_url_names())
    assert "api:indicators" in names
    missing = sorted(names - {case.url_name for case in authz.CASES})
    assert not missing, f"API URLs without an entry in api/tests/api_authz.py: {missing}"


@pytest.fixture
def api_world(world):
    authz.build(world)
    world.objects["tokens"] = {role: token_for(user) for role, user in world.users.items()}
    return world


def _request(client, world, case, role):
    headers = {} if role == "anonymous" else bearer(world.objects["tokens"][role])
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    if case.method == "get":
        return client.get(url, **headers)
    return client.post(url, data=case.data(world), content_type="application/json", **headers)


# One test per endpoint, every role in it: the world is built once per endpoint, not once per role.
@pytest.mark.parametrize("case", authz.CASES, ids=[case.id for case in authz.CASES])
def test_api_authorization(client, api_world, case):
    wrong = []
    for role in ROLES:
        response = _request(client, api_world, case, role)
        expected = case.expected[role]
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code} != {expected}")
        elif response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", f"{case.id} as {role}"
            assert response.json()["status"] == response.status_code
    assert not wrong, f"{case.id}: {wrong}"


# The endpoints that need a token, each once with an object some role may see.
SCOPED = [
    case
    for case in authz.CASES
    if case.expected["anonymous"] == 401 and any(200 <= status < 300 for status in case.expected.values())
]


# Every scoped endpoint: a token with every scope but the one it needs gets 403, for a role that may use it.
@pytest.mark.parametrize("case", SCOPED, ids=[case.id for case in SCOPED])
def test_a_token_without_the_endpoints_scope_gets_403(client, world, case):
    from django.urls import resolve

    from api.scopes import Scope

    authz.build(world)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    needed = resolve(url).func.view_class.required_scopes[case.method.upper()]
    role = next(role for role in ROLES if 200 <= case.expected[role] < 300)
    others = token_for(world.users[role], scopes=[scope for scope in Scope.values if scope != needed])
    world.objects["tokens"] = {role: others}
    response = _request(client, world, case, role)
    assert response.status_code == 403, (case.id, role, response.status_code)
    assert response["Content-Type"] == "application/problem+json"
    assert needed in response.json()["detail"]
    world.objects["tokens"] = {role: token_for(world.users[role], scopes=[needed])}
    assert 200 <= _request(client, world, case, role).status_code < 300, (case.id, role)
