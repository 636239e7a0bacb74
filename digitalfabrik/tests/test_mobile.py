"""The company's pages work on a 360 px wide phone: nothing is wider than the screen, and axe finds no
serious or critical violation at that width either (e.g. a scrolling table that a keyboard cannot reach).
Every role's main pages reflow down to 320 px.

Screenshots land in var/screenshots/ (every role's pages in var/screenshots/roles/; ignored by git) for a person
to look at.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .test_accessibility import BLOCKING, _audit, _describe, portal_fixture, session_cookies  # noqa: F401

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740
# WCAG 2.1 reflow: content readable without horizontal scrolling at 320 CSS pixels.
REFLOW_WIDTH = 320


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["de", "en"])
def test_company_pages_fit_a_360px_screen(browser, live_server, world, language):
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.wizard import BY_NAME as STEP_NAMES

    member = world.users["member_a"]
    draft = ApplicationFactory(company=world.company_a, created_by=member)
    # Both tables of the detail page, with long words: they scroll inside their regions, not the page.
    draft.deminimis_aids.create(
        granted_on=datetime.date(2025, 3, 14),
        grantor="Bundesministerium für Wirtschaft und Klimaschutz, Digitalisierungsförderprogramm",
        amount=Decimal("123456.78"),
    )
    pages = {
        "company-dashboard": reverse("dashboard"),
        "innoscheck-list": reverse("innoscheck:list"),
        **{f"innoscheck-step-{step}": reverse("innoscheck:edit", args=[draft.pk, step]) for step in STEP_NAMES},
        "innoscheck-detail": reverse("innoscheck:detail", args=[draft.pk]),
        "coaching-request": reverse("coaching:request_create"),
    }
    client = Client()
    client.force_login(member)
    context = browser.new_context(
        locale={"de": "de-DE", "en": "en-GB"}[language],
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    url = {"url": live_server.url}
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value} | url,
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language} | url,
        ]
    )
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide, violations = {}, []
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.ok, f"{path}: {response.status}"
        assert page.url == live_server.url + path
        page.screenshot(path=SCREENSHOTS / f"{name}-{language}-{WIDTH}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide[path] = width
        violations += [_describe(path, found) for found in _audit(page) if found["impact"] in BLOCKING]
    context.close()
    assert not too_wide, f"pages wider than {WIDTH} px: {too_wide}"
    assert not violations, "\n".join(violations)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_of_every_role_reflow_at_320px(browser, live_server, portal):
    """The pages of the accessibility test, in German (the longer words), are no wider than a 320 px screen, and
    axe finds nothing serious there either (a table that scrolls sideways must be reachable by keyboard)."""
    users, pages = portal
    (SCREENSHOTS / "roles").mkdir(parents=True, exist_ok=True)
    too_wide, violations = {}, []
    for role, entries in pages.items():
        context = browser.new_context(
            locale="de-DE", viewport={"width": REFLOW_WIDTH, "height": HEIGHT}, is_mobile=True
        )
        context.add_cookies(session_cookies(live_server, users.get(role), "de"))
        page = context.new_page()
        # Each address once: the audit's extra states (menus open, errors shown) are not about width.
        for path, action in dict(entry if isinstance(entry, tuple) else (entry, None) for entry in entries).items():
            assert page.goto(live_server.url + path).status == (action if isinstance(action, int) else 200), path
            name = path.strip("/").replace("/", "-") or "dashboard"
            page.screenshot(path=SCREENSHOTS / "roles" / f"{role}-{name}-de-{REFLOW_WIDTH}.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > REFLOW_WIDTH:
                too_wide[f"{role} {path}"] = width
            violations += [_describe(path, found) for found in _audit(page) if found["impact"] in BLOCKING]
        context.close()
    assert not too_wide, f"pages wider than {REFLOW_WIDTH} px: {too_wide}"
    assert not violations, "\n".join(violations)
