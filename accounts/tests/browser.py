"""Logging in through the real login form (and second factor) in the browser tests."""

import re

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET


def current_totp() -> str:
    """The factories' users' current two-factor code."""
    counter = list(yield_hotp_counters_from_time())[mfa_settings.TOTP_TOLERANCE]
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter))


def submit_login(page, email: str, password: str = TEST_PASSWORD) -> None:
    """Fill in and send the login form ``page`` shows."""
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#main").get_by_role("button", name="Anmeldung").click()


def log_in(page, base_url, user):
    """Log ``user`` in from a clean slate in ``page``'s browser context, with TOTP where the role needs it."""
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    submit_login(page, user.email)
    if user.requires_mfa:
        page.locator("#id_code").fill(current_totp())
        page.locator("#id_code").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
