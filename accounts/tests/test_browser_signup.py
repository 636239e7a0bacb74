"""The path a new company walks, in real headless Chromium: sign up, verify, log in, profile, invite, English."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.browser import submit_login
from companies.models import Company, Membership

PASSWORD = "Werkbank-Fräse-2026"
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def sign_up(page, base_url, email):
    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    page.locator("#main").get_by_role("button", name="Registrieren").click()
    expect(page.locator("h1")).to_have_text("Bestätigen Sie Ihre E-Mail-Adresse")


def confirm_from_mail(page, email):
    """Open the verification link from the last mail to ``email`` in a fresh session, as a mail client would."""
    message = [m for m in mail.outbox if m.to == [email]][-1]
    link = CONFIRMATION_LINK.search(message.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.locator("#main").get_by_role("button", name="Bestätigen").click()


def log_in(page, email):
    expect(page.locator("h1")).to_have_text("Anmeldung")
    submit_login(page, email, PASSWORD)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_company_signs_up_registers_its_profile_and_invites_a_colleague(live_server, page):
    base = live_server.url
    sign_up(page, base, "inhaberin@ruhr-zerspanung.example")
    confirm_from_mail(page, "inhaberin@ruhr-zerspanung.example")
    page.goto(base + "/accounts/login/")
    log_in(page, "inhaberin@ruhr-zerspanung.example")
    expect(page.locator("h1")).to_have_text("Ihre Übersicht")

    page.locator("#main").get_by_role("link", name="Unternehmen registrieren").click()
    page.get_by_label("Firmenname").fill("Ruhr Zerspanung GmbH")
    page.get_by_label("Rechtsform").select_option(label="GmbH")
    page.get_by_label("Gründungsdatum").fill("1998-04-01")
    page.get_by_label("Branche (WZ-2008-Abschnitt)").select_option("C")
    page.get_by_label("WZ-2008-Code").fill("25.62")
    page.get_by_label("Straße und Hausnummer").fill("Rheinlanddamm 201")
    page.get_by_label("Postleitzahl").fill("44139")
    page.get_by_role("textbox", name="Ort", exact=True).fill("Dortmund")
    page.get_by_label("Region").select_option("dortmund")
    page.get_by_label("Kammer").select_option("ihk_do")
    page.get_by_label("Beschäftigte (Jahresarbeitseinheiten)").fill("12,5")
    page.get_by_label("Jahresumsatz (EUR)").fill("1.234.567,89")
    page.get_by_label("Bilanzsumme (EUR)").fill("987.654,32")
    page.get_by_label("Ich bestätige").check()
    page.get_by_role("textbox", name="Ansprechperson", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail der Ansprechperson").fill("erika@ruhr-zerspanung.example")
    page.get_by_role("button", name="Unternehmensprofil speichern").click()

    expect(page.locator("h1")).to_contain_text("Ruhr Zerspanung GmbH")
    expect(page.get_by_test_id("turnover")).to_have_text("1.234.567,89 €")
    expect(page.get_by_test_id("sme-class")).to_have_text("Kleines Unternehmen")
    company = Company.objects.get()
    assert str(company.annual_turnover) == "1234567.89"
    assert str(company.staff_headcount) == "12.5"
    assert (company.founding_date.isoformat(), company.founding_date_confirmed) == ("1998-04-01", True)

    page.get_by_role("link", name="Kollegin oder Kollegen einladen").click()
    page.get_by_label("E-Mail-Adresse der Kollegin oder des Kollegen").fill("kollege@ruhr-zerspanung.example")
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_role("alert")).to_have_text("Die Einladung an kollege@ruhr-zerspanung.example wurde versandt.")
    expect(page.locator("#main")).to_contain_text("kollege@ruhr-zerspanung.example")
    invitation_mail = [m for m in mail.outbox if m.to == ["kollege@ruhr-zerspanung.example"]][-1]
    assert "Ruhr Zerspanung GmbH" in invitation_mail.subject

    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Invite a colleague")).to_be_visible()
    expect(page.get_by_test_id("sme-class")).to_have_text("Small enterprise")
    expect(page.get_by_test_id("turnover")).to_have_text("1,234,567.89 €")
    assert User.objects.get(email="inhaberin@ruhr-zerspanung.example").language == "en"

    # The colleague signs up with the invited address and is a member once the address is confirmed.
    page.context.clear_cookies()
    sign_up(page, base, "kollege@ruhr-zerspanung.example")
    confirm_from_mail(page, "kollege@ruhr-zerspanung.example")
    page.goto(base + "/accounts/login/")
    log_in(page, "kollege@ruhr-zerspanung.example")
    expect(page.locator("#main").get_by_role("link", name="Ruhr Zerspanung GmbH")).to_be_visible()
    assert Membership.objects.filter(company=company, user__email="kollege@ruhr-zerspanung.example").exists()
