"""Issue 11 in real headless Chromium: a Schwerte company's request reaches the lead partner's staff,
the coach plans, reschedules and cancels a session (three invitations, one UID), records a held session
with rows added in the browser, and a Bochum staff member is refused a Dortmund voucher."""

import datetime
from pathlib import Path

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.browser import log_in
from accounts.tests.factories import StaffFactory, UserFactory
from coaching.choices import SessionStatus
from coaching.models import Case
from coaching.tests.calendar_mails import calendar_of, invitations_to
from companies.tests.factories import CompanyFactory, MembershipFactory
from innoscheck.tests.factories import ApplicationFactory, shared_file
from innoscheck.workflow import Status
from programme.choices import Region
from programme.tests.factories import FundingPhaseFactory, PartnerOrganisationFactory, ResponsibilityFactory


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def calendars_to(address: str) -> list[icalendar.Calendar]:
    """The calendars one address got, in order."""
    return [calendar_of(message) for message in invitations_to(address)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_schwerte_request_lead_assigns_coach_plans_moves_cancels_and_bochum_staff_is_refused(live_server, page, world):
    base = live_server.url
    coach, lead_staff = world.users["coach"], world.users["staff_lead"]
    bochum = PartnerOrganisationFactory(name="Bochum Wirtschaftsentwicklung", short_name="WEG BO", city=Region.BOCHUM)
    ResponsibilityFactory(region=Region.BOCHUM, partner=bochum)
    staff_bochum = StaffFactory(email="staff.bochum@example.com", partner=bochum)
    assert world.company_a.region == Region.DORTMUND and world.company_a.responsible_partner != bochum
    schwerte = CompanyFactory(name="Schwerter Stahlbau GmbH", region=Region.OTHER, city="Schwerte", postcode="58239")
    member = MembershipFactory(company=schwerte, user=UserFactory(email="inhaberin@schwerter-stahlbau.example")).user
    assert schwerte.responsible_partner == lead_staff.partner  # places the table does not name: the lead partner

    # The Schwerte company asks for coaching.
    log_in(page, base, member)
    page.goto(base + "/coaching/requests/new/")
    page.get_by_label("Thema").select_option("additive_manufacturing")
    page.get_by_label("Beschreibung des Bedarfs").fill("Ersatzteile im 3D-Druck statt vom Lager.")
    page.get_by_label("Bevorzugte Form").select_option("on_site")
    page.get_by_role("button", name="Coaching anfragen").click()
    expect(page.get_by_role("alert")).to_contain_text("Ihre Anfrage wurde gesendet")
    case = Case.objects.get(company=schwerte)

    # The lead partner's staff assign the coach from the queue.
    log_in(page, base, lead_staff)
    page.goto(base + "/coaching/queue/")
    expect(page.get_by_role("row").filter(has_text=schwerte.name)).to_contain_text(str(coach))  # suggested coach
    page.get_by_role("row").filter(has_text=schwerte.name).get_by_role("link", name="Zuweisen").click()
    page.locator("#id_coach").select_option(str(coach.pk))
    page.locator("#main").get_by_role("button", name="Zuweisen").click()
    expect(page.get_by_test_id("case-coach")).to_contain_text(str(coach))
    mail.outbox.clear()

    # The coach plans the session ...
    log_in(page, base, coach)
    page.goto(f"{base}/coaching/cases/{case.pk}/")
    page.locator("#main").get_by_role("link", name="Termin planen").click()
    page.get_by_label("Datum und Uhrzeit").fill(local_input(timezone.now() + datetime.timedelta(days=3)))
    page.get_by_label("Dauer (Stunden)").fill("2")
    page.get_by_label("Ort oder Link").fill("Werkhalle Schwerte")
    page.locator("#main").get_by_role("button", name="Termin planen").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Termin wurde geplant")

    # ... moves it by two days ...
    moved_to = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)
    page.get_by_role("link", name="Verschieben").click()
    page.get_by_label("Datum und Uhrzeit").fill(local_input(moved_to))
    page.get_by_role("button", name="Verschieben und aktualisierte Einladung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Termin wurde verschoben")

    # ... which the dashboard tile and the upcoming list show ...
    page.goto(base + "/")
    expect(page.get_by_test_id("upcoming-sessions-tile")).to_contain_text("1")
    page.get_by_test_id("upcoming-sessions-tile").click()
    expect(page.get_by_test_id("upcoming-session")).to_contain_text(schwerte.name)

    # ... and calls it off.
    page.get_by_test_id("upcoming-session").get_by_role("link").click()
    page.get_by_role("link", name="Termin absagen").click()
    page.get_by_label("Grund (wird dem Unternehmen angezeigt)").fill("Drucker noch nicht geliefert")
    page.get_by_role("button", name="Termin absagen und Unternehmen informieren").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Termin wurde abgesagt")
    expect(page.get_by_test_id("session-status")).to_have_text("Abgesagt")

    # Three invitations for one calendar entry: same UID, rising SEQUENCE, the last one a cancellation.
    # Each recipient (the requesting member and the company's contact) gets its own three mails.
    calendar_mails = [m for m in mail.outbox if any(mimetype == "text/calendar" for _n, _c, mimetype in m.attachments)]
    assert {address for message in calendar_mails for address in message.to} == {member.email, schwerte.contact_email}
    assert len(calendars_to(schwerte.contact_email)) == 3
    calendars = calendars_to(member.email)
    assert len(calendars) == 3
    events = [calendar.walk("VEVENT")[0] for calendar in calendars]
    assert len({str(event["UID"]) for event in events}) == 1
    assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2]
    assert [str(calendar["METHOD"]) for calendar in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert events[1].decoded("DTSTART") == moved_to
    assert all(calendar.walk("VTIMEZONE") for calendar in calendars)
    session = case.sessions.get()
    assert session.status == SessionStatus.CANCELLED

    # The coach records a session that took place, adding a participant row in the browser.
    page.goto(f"{base}/coaching/cases/{case.pk}/sessions/record/")
    expect(page.get_by_test_id("participants-row")).to_have_count(3)
    page.get_by_role("button", name="Weitere Person hinzufügen").click()
    expect(page.get_by_test_id("participants-row")).to_have_count(4)
    page.get_by_label("Datum und Uhrzeit").fill(local_input(timezone.now() - datetime.timedelta(hours=2)))
    page.get_by_label("Dauer (Stunden)").fill("1")
    for index in range(4):
        page.locator(f"#id_participants-{index}-name").fill(f"Person {index}")
        page.locator(f"#id_participants-{index}-email").fill(f"person{index}@schwerter-stahlbau.example")
    page.get_by_role("button", name="Termin speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Termin wurde erfasst")
    held = case.sessions.get(status=SessionStatus.HELD)
    assert held.participants.count() == 4
    expect(page.get_by_role("link", name="Erfassung korrigieren")).to_be_visible()

    # The company downloads the cancellation from the case page.
    log_in(page, base, member)
    page.goto(f"{base}/coaching/cases/{case.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("session-invitation").click()
    ics = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert str(ics["METHOD"]) == "CANCEL"

    # Bochum staff do not see the Schwerte request and get 403 on a Dortmund voucher,
    # its files and its actions.
    phase = FundingPhaseFactory()
    in_review = ApplicationFactory(company=world.company_a, phase=phase, status=Status.IN_REVIEW)
    approved = ApplicationFactory(company=world.company_a, phase=phase, status=Status.APPROVED, approved_amount=5000)
    approved.voucher_number = f"ISR-2026-{approved.pk:04d}"
    approved.voucher_pdf.name = shared_file("innoscheck/vouchers/browser-voucher.pdf")
    approved.save()
    # (A second log-in of the coach or staff in the same 30 seconds would reuse the TOTP code: one each.)
    log_in(page, base, staff_bochum)
    page.goto(base + "/coaching/caseload/")
    expect(page.locator("#main")).not_to_contain_text(schwerte.name)
    page.goto(base + "/innoscheck/queue/?status=")
    expect(page.locator("#main")).not_to_contain_text(world.company_a.name)
    refused = [
        f"/coaching/cases/{case.pk}/",
        f"/coaching/cases/{case.pk}/sessions/{session.pk}/invitation.ics",
        f"/innoscheck/{in_review.pk}/",
        f"/innoscheck/attachments/{in_review.attachments.first().pk}/",
        f"/innoscheck/{approved.pk}/documents/voucher/",
        f"/innoscheck/{in_review.pk}/action/approve/",
        f"/innoscheck/{in_review.pk}/action/reject/",
        f"/innoscheck/{approved.pk}/action/cancel/",
    ]
    for path in refused:
        response = page.goto(base + path)
        assert response.status == 403, path
        expect(page.locator("h1")).to_have_text("Zugriff verweigert")
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    response = page.request.post(
        f"{base}/innoscheck/{in_review.pk}/action/reject/",
        form={"reason": "Nicht zuständig"},
        headers={"X-CSRFToken": token, "Referer": base + "/"},
    )
    assert response.status == 403 and "Zugriff verweigert" in response.text()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
