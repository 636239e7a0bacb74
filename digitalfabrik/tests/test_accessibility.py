"""axe-core (the npm package) finds no serious or critical violation on the main pages of every role, in German
and English; plus what axe cannot judge alone: duplicate ids, page language and titles, errors tied to fields.

Each role gets one browser context per language; its session cookie comes from Django's test client
(``force_login``), so the test spends its time on the pages, not on the login form.
"""

import datetime
import json
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .pages import parameterless_pages

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
LANGUAGES = ("de", "en")
# Empties the page's main form and submits it without the browser's own checks, so the server's error state is audited.
SUBMIT = """() => {
    const form = document.querySelector("main form[method=post]");
    form.querySelectorAll("input[type=text], input[type=email], textarea").forEach(field => { field.value = ""; });
    form.noValidate = true;
    form.requestSubmit();
}"""
# Opens the navigation's dropdown menus (hidden content is not audited).
MENUS = """() => document.querySelectorAll(".dropdown-menu").forEach(menu => menu.classList.add("show"))"""
DUPLICATE_IDS = """() => {
    const ids = [...document.querySelectorAll("[id]")].map(element => element.id);
    return ids.filter((id, index) => ids.indexOf(id) !== index);
}"""
ROLES = ("anonymous", "company", "coach", "staff", "funder", "admin")


@pytest.fixture(name="portal")
def portal_fixture(world):
    """The objects behind the pages of every role, built with the apps' factories."""
    from coaching import services as coaching_services
    from coaching.tests.factories import (
        CaseFactory,
        EventFactory,
        EventRegistrationFactory,
        NextStepFactory,
        ProjectFactory,
        SessionFactory,
    )
    from innoscheck.tests.factories import ApplicationFactory, ExpertFactory
    from innoscheck.wizard import BY_NAME as STEP_NAMES
    from innoscheck.workflow import Status
    from programme.tests.factories import FundingPhaseFactory
    from reporting.tests.factories import finished_report

    member, coach, staff = world.users["member_a"], world.users["coach"], world.users["staff"]
    case = CaseFactory(company=world.company_a, requested_by=member)
    coaching_services.case_assign(case=case, coach=coach, by=staff)
    planned = SessionFactory(case=case)
    NextStepFactory(case=case)
    held = coaching_services.session_record_held(
        case=case,
        by=coach,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        duration_hours=1,
        form="online",
        participants=[{"name": "Eva Schmidt", "email": "eva@firma-a.example"}],
    )
    CaseFactory(company=world.company_b, requested_by=world.users["member_b"])
    phase = FundingPhaseFactory()
    expert = ExpertFactory()
    draft = ApplicationFactory(company=world.company_a, phase=phase, created_by=member, expert=expert)
    submitted = ApplicationFactory(
        company=world.company_a, phase=phase, created_by=member, expert=expert, status=Status.SUBMITTED
    )
    report = finished_report(phase=phase)
    event = EventFactory()
    EventRegistrationFactory(event=event, company=world.company_a, registered_by=member)
    past_event = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    EventRegistrationFactory(event=past_event, company=world.company_a)
    project = ProjectFactory(coach=coach)
    company = {"pk": world.company_a.pk}
    on_case, on_draft = {"pk": case.pk}, {"pk": draft.pk}
    on_planned, on_held = {"pk": case.pk, "session_pk": planned.pk}, {"pk": case.pk, "session_pk": held.pk}

    def url(name, **kwargs):
        return reverse(name, kwargs=kwargs or None)

    pages = {
        "anonymous": [
            url("dashboard"),
            url("account_login"),
            (url("account_login"), SUBMIT),
            url("account_signup"),
            (url("account_signup"), SUBMIT),
            url("account_reset_password"),
            url("legal:imprint"),
            url("legal:privacy_policy"),
            ("/no-such-page/", 404),
        ],
        "company": [
            url("dashboard"),
            (url("dashboard"), MENUS),
            url("privacy"),
            url("companies:detail", **company),
            url("companies:edit", **company),
            url("companies:invite", **company),
            url("companies:create"),
            url("coaching:requests"),
            url("coaching:request_create"),
            (url("coaching:request_create"), SUBMIT),
            url("coaching:case_detail", **on_case),
            url("coaching:event_list"),
            url("coaching:event_detail", pk=event.pk),
            url("innoscheck:list"),
            url("innoscheck:create"),
            *(url("innoscheck:edit", step=step, **on_draft) for step in STEP_NAMES),
            (url("innoscheck:edit", step="project", **on_draft), SUBMIT),
            url("innoscheck:detail", **on_draft),
            url("innoscheck:delete", **on_draft),
            url("innoscheck:detail", pk=submitted.pk),
            url("account_email"),
            url("account_change_password"),
            url("api_tokens:list"),
            url("api_tokens:create"),
            url("notifications:list"),
            url("notifications:preferences"),
            (url("coaching:queue"), 403),
        ],
        "coach": [
            url("dashboard"),
            (url("dashboard"), MENUS),
            url("coaching:queue"),
            url("coaching:caseload"),
            url("coaching:case_detail", **on_case),
            url("coaching:session_plan", **on_case),
            url("coaching:session_record", **on_case),
            url("coaching:session_reschedule", **on_planned),
            url("coaching:session_cancel", **on_planned),
            url("coaching:session_correct", **on_held),
            url("coaching:upcoming_sessions"),
            url("notifications:tasks"),
            url("coaching:case_action", action="close", **on_case),
            url("coaching:event_list"),
            url("coaching:event_list") + "?when=past",
            url("coaching:event_create"),
            url("coaching:event_detail", pk=event.pk),
            url("coaching:event_detail", pk=past_event.pk),
            url("coaching:project_list"),
            url("coaching:project_create"),
            url("coaching:project_detail", pk=project.pk),
            url("coaching:project_edit", pk=project.pk),
            url("mfa_index"),
        ],
        "staff": [
            url("dashboard"),
            (url("dashboard"), MENUS),
            url("companies:list"),
            url("companies:detail", **company),
            url("companies:history", **company),
            url("coaching:queue"),
            url("coaching:caseload"),
            url("coaching:case_assign", **on_case),
            url("innoscheck:queue"),
            url("innoscheck:detail", pk=submitted.pk),
            url("innoscheck:experts"),
            url("innoscheck:expert_create"),
            # A partner's staff: the figures (the PDF reports are the funder's and the lead partner's).
            url("reporting:dashboard"),
        ],
        "funder": [
            url("dashboard"),
            (url("dashboard"), MENUS),
            url("reporting:list"),
            url("reporting:create"),
            url("reporting:dashboard"),
            url("reporting:detail", pk=report.pk),
        ],
        "admin": [url("dashboard"), (url("dashboard"), MENUS), url("companies:list"), url("innoscheck:queue")],
    }
    users = {
        "company": member,
        "coach": coach,
        "staff": staff,
        "funder": world.users["funder"],
        "admin": world.users["admin"],
    }
    return users, pages


def session_cookies(live_server, user, language) -> list[dict]:
    """The language cookie, and a logged-in session for ``user`` (None: anonymous)."""
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    return cookies


def _context(browser, live_server, user, language):
    context = browser.new_context(locale={"de": "de-DE", "en": "en-GB"}[language])
    context.add_cookies(session_cookies(live_server, user, language))
    return context


def _audit(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def _describe(url: str, violation: dict) -> str:
    nodes = "\n".join(f"      {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:10])
    return f"{url} [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n{nodes}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_serious_axe_violation(browser, live_server, portal, language):
    assert AXE.exists(), "node_modules/axe-core is missing: run `npm ci` (make test does)"
    users, pages = portal
    blocking, minor, audited = [], [], 0
    started = time.monotonic()
    for role in ROLES:
        context = _context(browser, live_server, users.get(role), language)
        page = context.new_page()
        page.set_default_timeout(15_000)
        for entry in pages[role]:
            path, action = entry if isinstance(entry, tuple) else (entry, None)
            response = page.goto(live_server.url + path)
            assert response.status == (action if isinstance(action, int) else 200), f"{role} {path}: {response.status}"
            assert page.url.rstrip("/") == (live_server.url + path).rstrip("/"), f"{role} {path} -> {page.url}"
            if action == SUBMIT:
                with page.expect_navigation():
                    page.evaluate(SUBMIT)
                # The errors are tied to their fields for screen readers, not only shown in red.
                assert page.locator("[aria-invalid=true][aria-describedby]").count(), path
                path += " (errors)"
            elif action == MENUS:
                page.evaluate(MENUS)
                path += " (menus open)"
            duplicates = page.evaluate(DUPLICATE_IDS)
            if duplicates:
                blocking.append(f"{role} {path} [serious] duplicate ids (a label names the wrong field): {duplicates}")
            assert page.locator("html").get_attribute("lang") == language, f"{role} {path}"
            if not page.title().partition("·")[0].strip():
                blocking.append(f"{role} {path} [serious] the page title does not name the page: {page.title()!r}")
            for violation in _audit(page):
                (blocking if violation["impact"] in BLOCKING else minor).append(_describe(f"{role} {path}", violation))
            audited += 1
        context.close()
    if os.environ.get("AXE_VERBOSE") and minor:
        print("moderate/minor:\n" + "\n".join(minor))
    print(f"axe ({language}): {audited} pages in {time.monotonic() - started:.1f} s, {len(minor)} minor/moderate")
    assert not blocking, f"{len(blocking)} serious/critical axe violations:\n" + "\n".join(blocking)


def test_every_parameterless_page_is_audited(portal):
    """A new list or form page of any app must join the audit above."""
    _users, pages = portal
    audited = {entry[0] if isinstance(entry, tuple) else entry for entries in pages.values() for entry in entries}
    missing = [name for name in parameterless_pages() if reverse(name) not in audited]
    assert not missing, f"add these pages to the accessibility test: {missing}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_users_can_skip_to_the_content(page, live_server, world):
    page.context.add_cookies(session_cookies(live_server, world.users["member_a"], "de"))
    page.goto(live_server.url + reverse("dashboard"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    assert skip.inner_text() == "Zum Inhalt springen"
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 10, "the skip link shows when focused"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "the next Tab stop is in the content"


@pytest.mark.browser
def test_axe_reports_a_serious_violation(page):
    """Control: axe as injected here does find a serious problem, so a clean run means something."""
    page.set_content('<html lang="de"><body><main><img src="x.png"><input type="text"></main></body></html>')
    found = {violation["id"]: violation["impact"] for violation in _audit(page)}
    assert found.get("image-alt") == "critical", json.dumps(found)
    assert found.get("label") == "critical", json.dumps(found)


def test_server_error_page_speaks_the_reader_language(rf):
    """500.html is rendered without a request context: it still names its language and is translated."""
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("de"):
        content = server_error(rf.get("/")).content.decode()
    assert '<html lang="de">' in content
    assert "Serverfehler" in content
