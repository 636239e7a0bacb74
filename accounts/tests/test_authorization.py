"""Every portal URL × every role → the expected status. A URL without a case fails the suite."""

from importlib import import_module

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from digitalfabrik.testing import LOGIN, ROLES

APPS = ["accounts", "companies", "coaching", "innoscheck", "reporting", "notifications", "digitalfabrik", "api"]
# Namespaces and names that belong to the portal itself (not Django admin or allauth).
PORTAL_NAMESPACES = {
    "companies",
    "coaching",
    "innoscheck",
    "reporting",
    "notifications",
    "health",
    "api_tokens",
    "legal",
}
# The portal's own URLs in accounts/urls.py (not namespaced, next to allauth's).
ACCOUNTS_URL_NAMES = {"dashboard", "set_language", "privacy", "privacy_export", "privacy_erase"}


def _authz_modules():
    modules = []
    for app in APPS:
        try:
            modules.append(import_module(f"{app}.tests.authz"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.tests.authz":
                raise
    return modules


MODULES = _authz_modules()
CASES = [case for module in MODULES for case in module.CASES]


def _portal_url_names(patterns=None, namespace=None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in PORTAL_NAMESPACES or (inner is None and entry.app_name is None and namespace is None):
                yield from _portal_url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if namespace in PORTAL_NAMESPACES:
                yield f"{namespace}:{entry.name}"
            elif namespace is None and entry.name in ACCOUNTS_URL_NAMES:
                yield entry.name


def test_every_portal_url_has_an_authorization_case():
    covered = {case.url_name for case in CASES}
    missing = sorted(set(_portal_url_names()) - covered)
    assert not missing, f"URLs without an entry in the authorization table: {missing}"


# The views that take a workflow's transitions by name, and the workflow each one serves.
ACTION_URLS = {"innoscheck:action": "innoscheck.workflow.VOUCHER", "coaching:case_action": "coaching.workflow.CASE"}


def test_every_action_a_page_offers_has_an_authorization_case(authz_world):
    for url_name, workflow_path in ACTION_URLS.items():
        workflow = import_string(workflow_path)
        offered = {transition.name for transition in workflow.transitions if transition.allowed}
        covered = {case.kwargs(authz_world)["action"] for case in CASES if case.url_name == url_name}
        missing = sorted(offered - covered)
        assert not missing, f"{url_name}: actions without an entry in the authorization table: {missing}"


@pytest.fixture
def authz_world(world):
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(world)
    return world


def _mismatch(client, world, case, role) -> str | None:
    """What is wrong with ``role``'s answer to ``case``, or None."""
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, data=case.data(world))
    expected = case.expected[role]
    if expected == LOGIN:
        if response.status_code != 302 or not response["Location"].startswith(reverse("account_login")):
            return f"{case.id} as {role}: {response.status_code}, expected login redirect"
    elif response.status_code != expected:
        return f"{case.id} as {role}: {response.status_code} != {expected}"
    return None


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_authorization(authz_world, case):
    """Every role in turn on one world (building it is most of the cost): each role's request runs in
    a savepoint that is rolled back, with a new client and an empty cache, so what one role's request
    changes (an approval, a login) is gone before the next role asks."""
    wrong = []
    for role in ROLES:
        cache.clear()
        with transaction.atomic():
            wrong.append(_mismatch(Client(), authz_world, case, role))
            transaction.set_rollback(True)
    wrong = [line for line in wrong if line]
    assert not wrong, "\n".join(wrong)
