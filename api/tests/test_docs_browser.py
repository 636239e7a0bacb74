"""The API docs (Swagger UI from drf-spectacular-sidecar) work under production's strict CSP."""

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
