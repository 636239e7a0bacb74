"""What each endpoint shows to whom: the portal's scope rules, no internal notes for companies,
writes through the apps' services, the public calendar and the docs under the strict CSP."""

import re

import icalendar
import pytest
import yaml
from django.contrib.staticfiles import finders

from api.tests import api_authz
from api.tests.factories import bearer, token_for
from coaching.models import Case
from reporting.models import Report, ReportEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    api_authz.build(world)
    return world


def _get(client, world, role, url, **params):
    response = client.get(url, params, **bearer(token_for(world.users[role])))
    assert response.status_code == 200, response.content
    return response.json()


def _ids(page):
    return {item["id"] for item in page["results"]}


def test_staff_see_the_applications_of_their_scope_and_companies_their_own(client, api_world):
    objects = api_world.objects
    a, b = objects["application_a"].pk, objects["application_b"].pk
    assert _ids(_get(client, api_world, "staff", "/api/v1/applications/")) == {a}
    assert _ids(_get(client, api_world, "staff_other", "/api/v1/applications/")) == {b}
    assert _ids(_get(client, api_world, "staff_lead", "/api/v1/applications/")) == {a, b}
    # A company sees its own, its draft too.
    assert _ids(_get(client, api_world, "member_a", "/api/v1/applications/")) == {a, objects["draft_a"].pk}
    # The review queue's filters.
    assert _ids(_get(client, api_world, "staff_lead", "/api/v1/applications/", city="hagen")) == {b}


def test_an_application_shows_its_states_and_decision_dates(client, api_world):
    application = _get(client, api_world, "staff", f"/api/v1/applications/{api_world.objects['application_a'].pk}/")
    assert application["status"] == "submitted" and application["submitted_at"]
    assert set(application) >= {"decided_at", "paid_at", "valid_until", "events", "voucher_number"}


def test_companies_in_scope(client, api_world):
    a, b = api_world.company_a.pk, api_world.company_b.pk
    assert _ids(_get(client, api_world, "staff", "/api/v1/companies/")) == {a}
    assert _ids(_get(client, api_world, "staff_other", "/api/v1/companies/")) == {b}
    assert _ids(_get(client, api_world, "member_b", "/api/v1/companies/")) == {b}
    assert _ids(_get(client, api_world, "staff_lead", "/api/v1/companies/", search="Firma B")) == {b}


def test_cases_in_scope_and_sessions_without_internal_notes_for_the_company(client, api_world):
    case_a = api_world.objects["case_a"]
    assert _ids(_get(client, api_world, "staff", "/api/v1/coaching/cases/")) == {case_a.pk}
    assert _ids(_get(client, api_world, "member_b", "/api/v1/coaching/cases/")) == {api_world.objects["case_b"].pk}
    company_view = _get(client, api_world, "member_a", f"/api/v1/coaching/cases/{case_a.pk}/sessions/")["results"]
    assert company_view[0]["shared_notes"] == "Für die Firma"
    assert "internal_notes" not in company_view[0]
    assert (
        b"Nur intern"
        not in client.get(
            f"/api/v1/coaching/cases/{case_a.pk}/sessions/", **bearer(token_for(api_world.users["member_a"]))
        ).content
    )
    staff_view = _get(client, api_world, "staff", f"/api/v1/coaching/cases/{case_a.pk}/sessions/")["results"]
    assert staff_view[0]["internal_notes"] == "Nur intern"


def test_a_company_requests_coaching_through_the_coaching_service(client, api_world):
    member = api_world.users["member_a"]
    response = client.post(
        "/api/v1/coaching/cases/",
        {
            "company": api_world.company_a.pk,
            "topic": "ai_data",
            "description": "KI in der Qualitätsprüfung",
            "preferred_form": "online",
        },
        content_type="application/json",
        **bearer(token_for(member)),
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.requested_by == member and case.status == "new"
    assert case.status_changes.get().action == "request"
    # Not for another company.
    refused = client.post(
        "/api/v1/coaching/cases/",
        {"company": api_world.company_b.pk, "topic": "ai_data", "description": "x", "preferred_form": "online"},
        content_type="application/json",
        **bearer(token_for(member)),
    )
    assert refused.status_code == 400 and "company" in refused.json()["errors"]


def test_a_funder_starts_a_report_and_downloads_a_finished_one(client, api_world):
    funder = api_world.users["funder"]
    secret = token_for(funder)
    response = client.post(
        "/api/v1/reports/",
        {"kind": "indicators", "phase": api_world.objects["phase"].pk, "preset": "phase", "language": "en"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 202, response.content
    report = Report.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/v1/reports/{report.pk}/"
    assert report.requested_by == funder and ReportEvent.objects.filter(report=report, action="request").exists()
    assert client.get(f"/api/v1/reports/{report.pk}/", **bearer(secret)).json()["status"] == "queued"
    done = api_world.objects["report_done"]
    download = client.get(f"/api/v1/reports/{done.pk}/download/", **bearer(secret))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert done.downloads.filter(user=funder).exists()


def test_upcoming_events_and_their_calendar_are_public(client, api_world):
    events = client.get("/api/v1/events/").json()["results"]
    assert len(events) == 1
    response = client.get("/api/v1/events.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(entry["summary"]) for entry in calendar.walk("VEVENT")] == [events[0]["title"]]


def test_cursor_pages(client, api_world):
    from coaching.tests.factories import EventFactory

    EventFactory.create_batch(3)
    first = client.get("/api/v1/events/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and not second["next"]
    assert not {e["id"] for e in first["results"]} & {e["id"] for e in second["results"]}


def test_every_list_is_cursor_paginated(client, api_world):
    """Each list endpoint answers in cursor pages (next/previous links, an opaque cursor), never as a bare list."""
    from coaching.tests.factories import EventFactory, SessionFactory

    case_a = api_world.objects["case_a"]
    SessionFactory.create_batch(2, case=case_a)
    EventFactory()
    headers = bearer(token_for(api_world.users["staff_lead"]))
    lists = [
        "/api/v1/reports/",
        "/api/v1/applications/",
        "/api/v1/companies/",
        "/api/v1/coaching/cases/",
        f"/api/v1/coaching/cases/{case_a.pk}/sessions/",
        "/api/v1/events/",
    ]
    for url in lists:
        page = client.get(url, {"page_size": 1}, **headers).json()
        assert isinstance(page, dict) and set(page) == {"next", "previous", "results"}, url
        assert len(page["results"]) == 1 and "cursor=" in page["next"], url
    sessions = f"/api/v1/coaching/cases/{case_a.pk}/sessions/"
    seen, url = [], sessions + "?page_size=2"
    while url:
        page = client.get(url, **headers).json()
        seen += [(item["starts_at"], item["id"]) for item in page["results"]]
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == case_a.sessions.count() == 3


def test_docs_are_served_from_our_origin_without_inline_script(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    script = next(source for source in sources if "script" in source)
    start = client.get(script)
    assert start.status_code == 200 and start["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in start.content


def test_schema_has_german_and_english_descriptions(client):
    german = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Upcoming events (public)" in english
    assert "Anstehende Veranstaltungen (öffentlich)" in german
    # ?lang= overrides the browser's language.
    assert client.get("/api/schema/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="de").content.decode() == english


def test_every_operation_is_described_in_both_languages(client):
    """Each operation's summary and description are translated: none reads the same in German and English."""
    german, english = (
        yaml.safe_load(client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE=language).content) for language in ("de", "en")
    )
    assert german["info"]["description"] != english["info"]["description"]
    untranslated = []
    for path, operations in english["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            for field in ("summary", "description"):
                if field in operation and operation[field] == german["paths"][path][method].get(field):
                    untranslated.append(f"{method} {path} {field}: {operation[field]}")
    assert not untranslated, untranslated


def test_a_damaged_report_is_not_served(client, api_world):
    report = api_world.objects["report_done"]
    Report.objects.filter(pk=report.pk).update(checksum="0" * 64)
    response = client.get(f"/api/v1/reports/{report.pk}/download/", **bearer(token_for(api_world.users["funder"])))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert not report.downloads.exists()


def test_lists_take_a_fixed_number_of_queries(client, api_world, django_assert_max_num_queries):
    from coaching.tests.factories import CaseFactory, SessionFactory
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.workflow import Status

    for _ in range(5):
        ApplicationFactory(company=api_world.company_a, status=Status.SUBMITTED, with_files=False)
        SessionFactory(case=CaseFactory(company=api_world.company_a))
    headers = bearer(token_for(api_world.users["staff_lead"]))
    for url in ("/api/v1/applications/", "/api/v1/coaching/cases/", "/api/v1/companies/", "/api/v1/reports/"):
        with django_assert_max_num_queries(8):
            assert client.get(url, **headers).status_code == 200


def test_an_administrator_revokes_tokens_in_the_admin(client, api_world):
    from api.models import ApiToken

    secret = token_for(api_world.users["member_a"])
    client.force_login(api_world.users["admin"])
    token = ApiToken.objects.get(user=api_world.users["member_a"])
    response = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/companies/", **bearer(secret)).status_code == 401
