"""The coaching path in real headless Chromium: request, assignment, planned session with .ics, held session."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.browser import log_in
from coaching.choices import SessionStatus
from coaching.models import Case


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_request_assign_plan_record_and_company_sees_only_shared_notes(live_server, page, world):
    base = live_server.url
    member, staff, coach = world.users["member_a"], world.users["staff"], world.users["coach"]

    # The company asks for coaching.
    log_in(page, base, member)
    page.goto(base + "/coaching/requests/new/")
    page.get_by_label("Thema").select_option("ai_data")
    page.get_by_label("Beschreibung des Bedarfs").fill("Wir möchten Ausschuss mit Maschinendaten früh erkennen.")
    page.get_by_label("Bevorzugte Form").select_option("on_site")
    page.get_by_label("Wunschtermine").fill("dienstags vormittags")
    page.get_by_role("button", name="Coaching anfragen").click()
    expect(page.get_by_role("alert")).to_contain_text("Ihre Anfrage wurde gesendet")
    case = Case.objects.get()

    # Staff of the Dortmund partner assigns the suggested coach from the queue.
    log_in(page, base, staff)
    page.goto(base + "/coaching/queue/")
    row = page.get_by_role("row").filter(has_text=world.company_a.name)
    expect(row).to_contain_text(str(coach))
    row.get_by_role("link", name="Zuweisen").click()
    expect(page.get_by_label("Coach")).to_have_value(str(coach.pk))
    page.locator("#main").get_by_role("button", name="Zuweisen").click()
    expect(page.get_by_test_id("case-coach")).to_contain_text(str(coach))
    assert any("InnovationCoach" in message.subject for message in mail.outbox)

    # The coach plans a session; the company gets the invitation with an .ics attached.
    log_in(page, base, coach)
    page.goto(f"{base}/coaching/cases/{case.pk}/")
    page.locator("#main").get_by_role("link", name="Termin planen").click()
    page.get_by_label("Datum und Uhrzeit").fill(local_input(timezone.now() + datetime.timedelta(days=3)))
    page.get_by_label("Dauer (Stunden)").fill("1,5")
    page.get_by_label("Ort oder Link").fill("Werkhalle 2")
    page.locator("#main").get_by_role("button", name="Termin planen").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Termin wurde geplant")
    # One mail per recipient (the outbox); the case's move to "in progress" is told as well.
    invitation = [message for message in mail.outbox if message.to == [member.email] and message.attachments][-1]
    assert [(name, mimetype) for name, _content, mimetype in invitation.attachments] == [
        ("session.ics", "text/calendar")
    ]
    assert "BEGIN:VEVENT" in invitation.attachments[0][1]  # Django decodes text/* attachments

    # ... and records it as held (it took place earlier than planned) with two participants and notes.
    page.get_by_role("link", name="Als durchgeführt erfassen").click()
    page.get_by_label("Datum und Uhrzeit").fill(local_input(timezone.now() - datetime.timedelta(hours=2)))
    page.locator("#id_participants-0-name").fill("Eva Schmidt")
    page.locator("#id_participants-0-email").fill("eva.schmidt@firma-a.example")
    page.locator("#id_participants-1-name").fill("Jan Nowak")
    page.locator("#id_participants-1-email").fill("jan.nowak@firma-a.example")
    page.get_by_label("Notizen für das Unternehmen").fill("Messkonzept für die Fräsen vereinbart.")
    page.get_by_label("Interne Notizen").fill("Geschäftsführung skeptisch, Budget klären.")
    page.locator("#id_steps-0-description").fill("Angebote für Sensorik einholen")
    page.locator("#id_steps-0-due_date").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Termin speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Termin wurde erfasst")
    expect(page.get_by_test_id("internal-notes")).to_contain_text("Budget klären")
    session = case.sessions.get()
    assert session.status == SessionStatus.HELD and session.participants.count() == 2

    # The company sees the shared note and the next step, never the internal note.
    log_in(page, base, member)
    page.goto(f"{base}/coaching/cases/{case.pk}/")
    expect(page.get_by_test_id("shared-notes")).to_contain_text("Messkonzept für die Fräsen vereinbart.")
    expect(page.locator("#main")).to_contain_text("Angebote für Sensorik einholen")
    expect(page.locator("#main")).not_to_contain_text("Budget klären")
    page.goto(base + "/coaching/requests/")
    expect(page.locator("#main")).to_contain_text("Messkonzept für die Fräsen vereinbart.")
    expect(page.locator("#main")).not_to_contain_text("Budget klären")
