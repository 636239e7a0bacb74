import os
import socket
import uuid
from dataclasses import dataclass

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class S3Bucket:
    endpoint_url: str
    bucket: str
    access_key: str = "test-access-key"
    secret_key: str = "test-secret-key"
    region: str = "eu-central-1"

    def environment(self) -> dict[str, str]:
        """The variables that put another process's files in this bucket (settings/base.py)."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
            "S3_REGION": self.region,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


class S3Server:
    """A local S3-compatible server (moto in server mode) on a free port; ``stop()`` takes it down."""

    def __init__(self):
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        self.running = True

    def new_bucket(self) -> S3Bucket:
        """A new, empty bucket of its own."""
        bucket = S3Bucket(endpoint_url=self.url, bucket=f"test-{uuid.uuid4().hex[:20]}")
        location = {"LocationConstraint": bucket.region}
        bucket.client().create_bucket(Bucket=bucket.bucket, CreateBucketConfiguration=location)
        return bucket

    def stop(self) -> None:
        if self.running:
            self._server.stop()
            self.running = False


@pytest.fixture(scope="session")
def s3_server() -> S3Server:
    """The test process's S3 server, shared by its tests (each has its own bucket)."""
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server) -> S3Bucket:
    """A new, empty bucket of this test's own on the local S3 server."""
    return s3_server.new_bucket()


def _store_files_in(bucket: S3Bucket, settings, tmp_path) -> None:
    """Every file of the test through django-storages into ``bucket``; MEDIA_ROOT must stay empty."""
    from digitalfabrik.settings.storage import s3_storage

    settings.MEDIA_ROOT = tmp_path / "unused-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=bucket.bucket,
            endpoint_url=bucket.endpoint_url,
            access_key=bucket.access_key,
            secret_key=bucket.secret_key,
            region=bucket.region,
        ),
    }


@pytest.fixture
def s3_storage(s3_bucket, settings, tmp_path) -> S3Bucket:
    """Every file of this test through django-storages into its own bucket; the local MEDIA_ROOT stays empty."""
    _store_files_in(s3_bucket, settings, tmp_path)
    yield s3_bucket
    assert not settings.MEDIA_ROOT.exists(), "a file went to the local disk instead of the bucket"


@pytest.fixture
def own_s3_server(settings, tmp_path):
    """A server of this test's own with one bucket holding every file of the test; the test may stop it
    (the object store down)."""
    server = S3Server()
    _store_files_in(server.new_bucket(), settings, tmp_path)
    yield server
    server.stop()
