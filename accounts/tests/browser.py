"""Logging in through the real login form (and second factor) in the browser tests."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

# Seconds a test needs to send a code after taking it: a browser fills in and submits the form.
SEND_WITHIN = 3


def current_totp() -> str:
    """The factories' users' current two-factor code, never one about to run out: the portal accepts the
    current period's code only (allauth's TOTP tolerance 0), so a code taken in the last seconds of its
    period arrived too late now and then ("Falscher Code."); then this waits for the next period."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < SEND_WITHIN:
        time.sleep(left + 0.05)
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
