"""In Chromium: the API docs (Swagger UI from drf-spectacular-sidecar) under production's strict CSP, and the
token pages (created through the form, audited with axe)."""

import pytest

from digitalfabrik.tests.test_csp_browser import _enforce_policy


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_under_the_csp_without_violations(page, live_server):
    violations: list[str] = []
    _enforce_policy(page, violations)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Digitale Fabrik API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag-section").first.wait_for()
    assert not violations, violations
    assert all(url.startswith(live_server.url) for url in requested), requested


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_token_pages_have_no_serious_axe_violation(browser, live_server, world):
    from digitalfabrik.tests.test_accessibility import AXE, BLOCKING, _audit, _context, _describe

    context = _context(browser, live_server, world.users["member_a"], "de")
    page = context.new_page()
    blocking = []
    for path in ("/account/tokens/", "/account/tokens/new/"):
        assert page.goto(live_server.url + path).status == 200
        blocking += [_describe(path, v) for v in _audit(page) if v["impact"] in BLOCKING]
    page.get_by_label("Name").fill("Website")
    page.get_by_label("Coaching anfragen").check()
    page.get_by_role("button", name="Token erstellen").click()
    secret = page.get_by_test_id("token-secret").input_value()
    assert secret.startswith("dfp_")
    blocking += [_describe("created", v) for v in _audit(page) if v["impact"] in BLOCKING]
    context.close()
    assert AXE.exists() and not blocking, blocking
