"""Every page works under production's Content-Security-Policy in real Chromium: no violation reported.

The policy of settings/security.py is added to each response by Playwright (the live server runs
the test settings), so the browser enforces exactly what production sends.
"""

import pytest
from csp.utils import build_policy
from django.test import Client
from django.urls import reverse

from digitalfabrik.settings.security import CONTENT_SECURITY_POLICY

from .pages import parameterless_pages

POLICY = build_policy(config=CONTENT_SECURITY_POLICY["DIRECTIVES"])
ROLES = ("member_a", "coach", "staff", "funder")


def _enforce_policy(page, violations: list[str]) -> None:
    def add_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": POLICY})

    page.route("**/*", add_policy)
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
def test_violations_are_detected(page, live_server):
    """Control: an inline script under the policy is reported, so a clean run means something."""
    violations: list[str] = []
    _enforce_policy(page, violations)
    page.route(
        "**/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"content-security-policy": POLICY},
            body="<!DOCTYPE html><p style='color:red'>x</p><script>document.title='ran'</script>",
        ),
    )
    page.goto(live_server.url + "/csp-probe/")
    assert page.title() != "ran"
    assert violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_raise_no_csp_violation(page, live_server, world):
    violations: list[str] = []
    _enforce_policy(page, violations)
    visited = 0
    for path in ["/", reverse("account_login"), reverse("account_signup"), reverse("account_reset_password")]:
        page.goto(live_server.url + path)
        visited += 1
    for role in ROLES:
        page.context.clear_cookies()
        _log_in(page, live_server, world.users[role])
        for name in parameterless_pages():
            response = page.goto(live_server.url + reverse(name))
            if response.ok:
                page.wait_for_load_state("load")
                visited += 1
    page.context.clear_cookies()
    _log_in(page, live_server, world.users["member_a"])
    for name in ("companies:detail", "companies:edit", "companies:invite"):
        page.goto(live_server.url + reverse(name, kwargs={"pk": world.company_a.pk}))
        visited += 1
    assert visited > 20
    assert not violations, "\n".join(violations)
