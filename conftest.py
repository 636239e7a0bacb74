import os

import pytest

from digitalfabrik.testing import World

# Playwright's sync API runs an event loop in the test thread; the ORM calls of browser tests are
# still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _broker_of_this_test_process(url: str, xdist_worker: str) -> str:
    """Parallel test processes (pytest-xdist: gw0, gw1, ...) each get their own Redis database.

    Celery takes CELERY_BROKER_URL from the environment before any setting, and the real workers
    some tests start inherit the environment, so the variable itself is changed here.
    """
    if not xdist_worker or not url.startswith("redis://"):
        return url
    base, _, number = url.rpartition("/")
    number = int(number) if number.isdigit() else 0
    return f"{base}/{(number + 1 + int(xdist_worker.removeprefix('gw'))) % 16}"


if "CELERY_BROKER_URL" in os.environ:
    os.environ["CELERY_BROKER_URL"] = _broker_of_this_test_process(
        os.environ["CELERY_BROKER_URL"], os.environ.get("PYTEST_XDIST_WORKER", "")
    )

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached indicator figures must not leak between tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    from accounts.tests.factories import AdminFactory, CoachFactory, FunderFactory, StaffFactory, UserFactory
    from companies.tests.factories import CompanyFactory, MembershipFactory
    from programme.choices import Region
    from programme.tests.factories import PartnerOrganisationFactory, ResponsibilityFactory

    lead = PartnerOrganisationFactory(name="Lead partner", short_name="LEAD", is_lead=True)
    partner_a = ResponsibilityFactory(region=Region.DORTMUND).partner
    partner_b = ResponsibilityFactory(
        region=Region.HAGEN, partner=PartnerOrganisationFactory(city=Region.HAGEN)
    ).partner
    company_a = CompanyFactory(name="Firma A GmbH", region=Region.DORTMUND)
    company_b = CompanyFactory(name="Firma B GmbH", region=Region.HAGEN, city="Hagen", postcode="58095")
    member_a = MembershipFactory(company=company_a, user=UserFactory(email="member.a@example.com")).user
    member_b = MembershipFactory(company=company_b, user=UserFactory(email="member.b@example.com")).user
    users = {
        "member_a": member_a,
        "member_b": member_b,
        "coach": CoachFactory(email="coach@example.com"),
        "staff": StaffFactory(email="staff@example.com", partner=partner_a),
        "staff_other": StaffFactory(email="staff.other@example.com", partner=partner_b),
        "staff_lead": StaffFactory(email="staff.lead@example.com", partner=lead),
        "funder": FunderFactory(email="funder@example.com"),
        "admin": AdminFactory(email="admin@example.com"),
    }
    return World(users=users, company_a=company_a, company_b=company_b)


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium from the distribution (no browser downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
