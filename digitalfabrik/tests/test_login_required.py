"""Every URL of the site, found by walking the URL resolver, requires login unless it is listed as public.

Complements accounts/tests/test_authorization.py (which checks the portal's own URLs role by role):
this one also covers Django admin, allauth and any URL added later without an authorization case.
An anonymous GET must end in a redirect to a login page, a 403, or a 405 (then the POST is checked).
"""

import itertools
import uuid

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Pages an anonymous visitor must be able to open, and why.
PUBLIC = {
    "dashboard": "landing page for visitors",
    "set_language": "language switch in the footer of every page",
    "account_login": "login",
    "account_signup": "registration",
    "account_logout": "logging out",
    "account_inactive": "explains an inactive account",
    "account_email_verification_sent": "after sign-up",
    "account_confirm_email": "link in the verification e-mail",
    "account_reset_password": "forgotten password",
    "account_reset_password_done": "after requesting a reset",
    "account_reset_password_from_key": "link in the reset e-mail",
    "account_reset_password_from_key_done": "after resetting",
    "account_confirm_login_code": "login stage (redirects without one)",
    "mfa_authenticate": "second login stage (redirects without one)",
    "admin:login": "admin login",
    "admin:logout": "admin logout",
    "health:live": "liveness for docker compose and orchestrators: a status code and ok, nothing else",
    "health:ready": "readiness for docker compose and the proxy: a status code and ok/unavailable, no internals",
    "api:schema": "the API's OpenAPI description (no data)",
    "api:docs": "the API's documentation (Swagger UI, no data)",
    "api:events": "upcoming events for partner websites",
    "api:events_ics": "upcoming events as a calendar for partner websites",
    "api:not_found": "any other address under /api/: a 404 as problem details",
    "notifications:unsubscribe": "one-click unsubscribe link of a mail: the signed token names person and kind",
    "favicon": "the browser's icon (a redirect to the static SVG)",
    "legal:imprint": "the imprint the law requires, linked in every page's footer",
    "legal:privacy_policy": "the privacy policy, linked in every page's footer and before sign-up",
}
# "accounts" fits the admin's app_label pattern.
SAMPLE_VALUES = [1, "x", uuid.UUID(int=1), "accounts"]
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _url_names(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def _sample_url(name: str, pattern) -> str:
    """A URL for the pattern with made-up parameters: the first combination of samples that reverses."""
    named = list(getattr(pattern, "converters", None) or pattern.regex.groupindex)
    count = len(named) or pattern.regex.groups
    for values in itertools.product(SAMPLE_VALUES, repeat=count):
        try:
            if named:
                return reverse(name, kwargs=dict(zip(named, values, strict=True)))
            return reverse(name, args=values)
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample parameters fit {name}: add one to SAMPLE_VALUES")


URLS = sorted(dict(_url_names()).items())


def test_the_walk_finds_portal_admin_and_allauth_urls():
    names = {name for name, _pattern in URLS}
    assert {"companies:list", "admin:index", "account_email", "mfa_index"} <= names


def test_public_list_has_no_stale_entries():
    names = {name for name, _pattern in URLS}
    stale = set(PUBLIC) - names
    assert not stale, f"PUBLIC names no URL any more: {stale}"


def _requires_login(response) -> bool:
    if response.status_code in (302, 301):
        return response["Location"].split("?")[0] in LOGIN_PATHS
    # The API has no login page: it asks for a token (api/authentication.py).
    if response.status_code == 401:
        return response.get("WWW-Authenticate", "").startswith("Bearer ")
    return response.status_code == 403


@pytest.mark.parametrize(("name", "pattern"), [entry for entry in URLS if entry[0] not in PUBLIC], ids=lambda v: str(v))
def test_anonymous_is_sent_to_login(client, db, name, pattern):
    url = _sample_url(name, pattern)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    assert _requires_login(response), (
        f"{name} ({url}): anonymous got {response.status_code} {response.get('Location', '')}"
    )
