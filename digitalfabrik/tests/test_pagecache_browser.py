"""The page cache in real headless Chromium: cached pages work and are never older than the data."""

import contextlib

import pytest
from django.test.signals import template_rendered
from playwright.sync_api import expect

from accounts.tests.browser import log_in, submit_login
from accounts.tests.factories import UserFactory
from companies.tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def rendered_templates():
    """Names of the templates the live server renders meanwhile (it runs in this process)."""
    names = []

    def receiver(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(receiver)
    try:
        yield names
    finally:
        template_rendered.disconnect(receiver)


def _submit_login(page, user):
    submit_login(page, user.email)
    expect(page.get_by_role("button", name=user.email)).to_be_visible()


def test_visitors_log_in_through_the_cached_login_page_with_their_own_csrf_token(live_server, browser, page):
    first, second = UserFactory(), UserFactory()
    other_visitor = browser.new_context(locale="de-DE").new_page()
    page.goto(live_server.url + "/accounts/login/")
    with rendered_templates() as templates:
        other_visitor.goto(live_server.url + "/accounts/login/")
    assert "account/login.html" not in templates, "the second visitor's login page came from the cache"
    _submit_login(other_visitor, second)
    _submit_login(page, first)
    other_visitor.context.close()


def test_a_cached_dashboard_shows_the_saved_profile_at_once(live_server, page):
    member = MembershipFactory(company__name="Ruhr Guss GmbH").user
    log_in(page, live_server.url, member)
    page.goto(live_server.url + "/")
    with rendered_templates() as templates:
        page.reload()
    assert "dashboard/company.html" not in templates, "the second visit came from the cache"

    page.get_by_role("link", name="Ruhr Guss GmbH").click()
    page.get_by_role("link", name="Profil bearbeiten").click()
    page.get_by_label("Firmenname").fill("Ruhr Guss Werke GmbH")
    page.get_by_role("button", name="Unternehmensprofil speichern").click()

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Ruhr Guss Werke GmbH")).to_be_visible()
    expect(page.get_by_role("link", name="Ruhr Guss GmbH", exact=True)).to_have_count(0)
