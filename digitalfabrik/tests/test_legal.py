"""Imprint and privacy policy: public pages with texts administrators edit, linked everywhere."""

import pytest
from django.urls import reverse

from digitalfabrik.models import LegalPage

pytestmark = pytest.mark.django_db


def test_the_data_migration_seeds_both_pages_in_both_languages():
    pages = {page.kind: page for page in LegalPage.objects.all()}
    assert set(pages) == {"imprint", "privacy"}
    for page in pages.values():
        assert page.title_de and page.title_en and page.text_de and page.text_en
    # Only necessary cookies: the default privacy text says why there is no cookie notice.
    assert "keinen Cookie-Hinweis" in pages["privacy"].text_de
    assert "no cookie notice" in pages["privacy"].text_en


@pytest.mark.parametrize(
    ("name", "german", "english"),
    [
        ("legal:imprint", "Impressum", "Imprint"),
        ("legal:privacy_policy", "Datenschutzerklärung", "Privacy policy"),
    ],
)
def test_anonymous_visitors_read_the_page_in_their_language(client, name, german, english):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert f'<h1 class="h3 mb-3">{german}</h1>' in response.content.decode()
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    assert f'<h1 class="h3 mb-3">{english}</h1>' in response.content.decode()


def test_the_text_administrators_edit_is_shown_escaped(client):
    LegalPage.objects.filter(kind="imprint").update(
        text_de="Neue Anschrift: Hafenweg 1\n\n<script>alert(1)</script> https://example.org"
    )
    html = client.get(reverse("legal:imprint"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Neue Anschrift: Hafenweg 1" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org"' in html


def test_every_page_links_both_in_its_footer(client, world):
    pages = [reverse("account_login"), reverse("dashboard")]
    for url in pages:
        html = client.get(url).content.decode()
        assert reverse("legal:imprint") in html and reverse("legal:privacy_policy") in html, url
    client.force_login(world.users["member_a"])
    for url in (reverse("dashboard"), reverse("companies:list"), reverse("privacy")):
        html = client.get(url).content.decode()
        assert reverse("legal:imprint") in html and reverse("legal:privacy_policy") in html, url


def test_sign_up_tells_how_personal_data_is_used_before_the_form(client):
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    notice = html.index('data-testid="signup-data-notice"')
    assert notice < html.index('name="password1"')
    assert 'data-testid="signup-privacy-policy"' in html
    assert "Wie wir Ihre personenbezogenen Daten verwenden" in html


def test_staff_without_a_second_factor_yet_may_read_the_legal_pages(client):
    from accounts.tests.factories import StaffFactory

    staff = StaffFactory()
    staff.authenticator_set.all().delete()
    client.force_login(staff)
    assert client.get(reverse("companies:list")).status_code == 302
    assert client.get(reverse("legal:privacy_policy")).status_code == 200


def test_administrators_edit_but_neither_add_nor_delete_pages(client, world):
    admin_client = client
    admin_client.force_login(world.users["admin"])
    page = LegalPage.objects.get(kind="privacy")
    assert admin_client.get(reverse("admin:digitalfabrik_legalpage_change", args=[page.pk])).status_code == 200
    assert admin_client.get(reverse("admin:digitalfabrik_legalpage_add")).status_code == 403
    assert admin_client.get(reverse("admin:digitalfabrik_legalpage_delete", args=[page.pk])).status_code == 403


def test_every_page_has_the_favicon_and_favicon_ico_leads_to_it(client):
    from django.templatetags.static import static

    html = client.get(reverse("dashboard")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == static("favicon.svg")


def test_a_page_without_its_row_shows_the_default_text(client):
    LegalPage.objects.filter(kind="privacy").delete()
    response = client.get(reverse("legal:privacy_policy"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "keinen Cookie-Hinweis" in response.content.decode()
