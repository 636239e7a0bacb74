"""The privacy flow a company member walks in real headless Chromium: export, then erase the account."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.models import AccountErasure, User
from accounts.tests.browser import submit_login
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from companies.tests.factories import MembershipFactory

EMAIL = "loeschen@ruhr-guss.example"


def log_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    submit_login(page, EMAIL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_downloads_their_data_and_erases_the_account(live_server, page):
    user = MembershipFactory(user=UserFactory(email=EMAIL), company__name="Ruhr Guss GmbH").user
    log_in(page, live_server.url)
    expect(page.locator("h1")).to_have_text("Ihre Übersicht")

    page.get_by_role("button", name=EMAIL).click()
    page.get_by_role("link", name="Datenschutz und Ihre Daten").click()
    expect(page.locator("h1")).to_have_text("Datenschutz und Ihre Daten")

    with page.expect_download() as download_info:
        page.get_by_test_id("privacy-export").click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert json.loads(archive.read("account.json"))["email"] == EMAIL
    assert [row["name"] for row in json.loads(archive.read("companies.json"))] == ["Ruhr Guss GmbH"]

    page.get_by_label("Ihr aktuelles Passwort").fill("falsch")
    page.get_by_label("Mir ist bewusst").check()
    page.get_by_role("button", name="Mein Konto löschen").click()
    expect(page.locator("#main")).to_contain_text("Das Passwort ist nicht korrekt.")
    assert not AccountErasure.objects.exists()

    page.get_by_label("Ihr aktuelles Passwort").fill(TEST_PASSWORD)
    page.get_by_label("Mir ist bewusst").check()
    page.get_by_role("button", name="Mein Konto löschen").click()
    expect(page.locator("h1")).to_have_text("Ihr Konto wurde gelöscht")
    assert User.objects.get(pk=user.pk).email == f"erased-{user.pk}@invalid.example"

    log_in(page, live_server.url)
    expect(page.locator("h1")).to_have_text("Anmeldung")
