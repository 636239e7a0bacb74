"""The portal on several machines: two gunicorns and two Celery workers that share no disk.

Each process runs the production settings in its own empty working directory with its own empty
MEDIA_ROOT; what they share is what several machines share: one PostgreSQL (the test database and
the sessions), one Redis (broker, rate limits) and the S3 server (moto, in this test process). Everything
goes through real HTTP, the real login forms (TOTP included) and real Celery messages.
"""

import datetime
import hashlib
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.browser import current_totp
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from digitalfabrik.celery import app
from digitalfabrik.tests.servers import empty_broker, set_production_password, worker_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WRONG = "definitely-not-the-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its cookies go to every web server on 127.0.0.1, as a browser's would (any port)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, url: str, *, fields: dict | None = None, files: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if fields is not None or files:
            fields = {**(fields or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            if files:
                body, headers["Content-Type"] = _multipart(fields, files)
            else:
                body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - http://127.0.0.1 only
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        response.body = response.read()
        return response

    def log_in(self, web: str, email: str, *, totp: bool = False) -> None:
        self.request(f"{web}/accounts/login/")
        response = self.request(f"{web}/accounts/login/", fields={"login": email, "password": TEST_PASSWORD})
        assert response.status == 302, (email, response.status)
        if totp:
            location = response.headers["Location"]
            assert "/2fa/authenticate/" in location
            self.request(f"{web}{location}")
            response = self.request(f"{web}{location}", fields={"code": current_totp()})
            assert response.status == 302, (email, "TOTP", response.status)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, content, content_type) in files.items():
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _wait(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


@pytest.fixture
def machines(transactional_db, s3_bucket, tmp_path_factory):
    """Two web servers and two workers (both queues), each in its own empty directory; their logs at the end."""
    # The broker this test process pings and purges, so every process meets on the same Redis: the one
    # CELERY_BROKER_URL names (conftest.py gives each xdist worker its own database there).
    broker = app.conf.broker_url
    assert broker.startswith("redis://"), f"needs CELERY_BROKER_URL=redis://..., not {broker}"
    cache_prefix = f"multi-machine-{uuid.uuid4().hex}"
    shared = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "digitalfabrik.tests.multi_machine_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": f"{broker}?key_prefix={cache_prefix}",
        "PAGE_CACHE": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # Small annex parts, so a short annex still makes several parts for the two workers to share.
        "REPORT_ANNEX_PAGES_PER_PART": "1",
        "LOG_LEVEL": "INFO",
        **s3_bucket.environment(),
    }
    empty_broker()

    processes: dict[str, subprocess.Popen] = {}
    homes: dict[str, Path] = {}
    logs: dict[str, Path] = {}

    def start(name: str, command: list, **extra: str) -> None:
        home = tmp_path_factory.mktemp(name)
        (home / "media").mkdir()
        homes[name], logs[name] = home, tmp_path_factory.getbasetemp() / f"{name}.log"
        processes[name] = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=home,
            env={**shared, "HOME": str(home), "MEDIA_ROOT": str(home / "media"), **extra},
            stdout=logs[name].open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    for name in ("worker-a", "worker-b"):
        start(
            name,
            [BIN / "celery", "-A", "digitalfabrik", "worker", "-Q", "celery,pdf", "--concurrency", "1"]
            + ["-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        )
    webs = {}
    for name in ("web-a", "web-b"):
        port = free_port()
        start(name, [BIN / "gunicorn", "digitalfabrik.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"])
        webs[name] = f"http://127.0.0.1:{port}"

    def ready(web: str) -> bool:
        try:
            with urllib.request.urlopen(f"{web}/health/ready/", timeout=10) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    try:
        for web in webs.values():
            _wait(lambda web=web: ready(web), timeout=60, what=f"{web} ready")
        _wait(
            lambda: len(app.control.ping(timeout=0.5)) >= 2,
            timeout=60,
            what="both workers answering",
        )
        yield {"webs": webs, "homes": homes, "bucket": s3_bucket}
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        # The broker's database holds the processes' cache keys too (CACHE_URL above).
        empty_broker()
        for name, log in logs.items():
            sys.stderr.write(f"--- {name} (last lines) ---\n{''.join(log.read_text().splitlines(True)[-30:])}\n")
    # No process wrote a file to its own disk: every file went to the shared bucket.
    assert [path for home in homes.values() for path in (home / "media").rglob("*")] == []


def _with_password(user):
    set_production_password(user, TEST_PASSWORD)
    return user


def _supported_companies(count: int) -> None:
    """``count`` companies with a coaching session held yesterday: the report's annex lists each."""
    from coaching.choices import SessionStatus
    from coaching.models import Case, Session
    from coaching.tests.factories import CaseFactory, SessionFactory
    from companies.models import Company
    from companies.tests.factories import CompanyFactory
    from reporting import facts

    companies = Company.objects.bulk_create(CompanyFactory.build_batch(count))
    cases = Case.objects.bulk_create([CaseFactory.build(company=company) for company in companies])
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Session.objects.bulk_create(
        [SessionFactory.build(case=case, status=SessionStatus.HELD, starts_at=yesterday) for case in cases]
    )
    # Built past the services (no session.hold event): the indicators read the support facts, so write them.
    facts.rebuild()


def test_two_webs_and_two_workers_share_database_redis_and_bucket_only(machines, world):
    from innoscheck.models import Application, PlannedStep
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.workflow import Status
    from reporting import pdf
    from reporting.models import Report, ReportStatus

    web_a, web_b = machines["webs"]["web-a"], machines["webs"]["web-b"]
    member, staff = _with_password(world.users["member_a"]), _with_password(world.users["staff_lead"])
    application = ApplicationFactory(company=world.company_a, created_by=member, status=Status.DRAFT, with_files=False)
    PlannedStep.objects.create(
        application=application,
        description="Analyse",
        start=timezone.localdate() + datetime.timedelta(days=14),
        end=timezone.localdate() + datetime.timedelta(days=60),
    )

    # A session started on web A is valid on web B.
    company = Visitor()
    assert company.request(f"{web_b}/innoscheck/").status == 302  # anonymous: to the login
    company.log_in(web_a, member.email)
    assert company.request(f"{web_b}/innoscheck/").status == 200

    # The company uploads its quote through web A and submits.
    edit = f"{web_a}/innoscheck/{application.pk}/edit/attachments/"
    company.request(edit)
    response = company.request(
        edit, fields={"kind": "quote"}, files={"file": ("angebot.pdf", PDF_BYTES, "application/pdf")}
    )
    assert response.status == 302, response.body[:2000]
    company.request(f"{web_a}/innoscheck/{application.pk}/action/submit/")
    response = company.request(f"{web_a}/innoscheck/{application.pk}/action/submit/", fields={})
    assert response.status == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    # Staff review and approve through web B (password and TOTP there); the quote comes from the bucket.
    reviewer = Visitor()
    reviewer.log_in(web_b, staff.email, totp=True)
    attachment = application.attachments.get()
    download = reviewer.request(f"{web_b}/innoscheck/attachments/{attachment.pk}/")
    assert download.status == 200 and download.body == PDF_BYTES
    for action, fields in (("start_review", {"note": ""}), ("approve", {"amount": "4321,00", "note": ""})):
        reviewer.request(f"{web_b}/innoscheck/{application.pk}/action/{action}/")
        response = reviewer.request(f"{web_b}/innoscheck/{application.pk}/action/{action}/", fields=fields)
        assert response.status == 302, (action, response.body[:2000])

    # Either worker renders the voucher; the company downloads it through web A.
    application = _wait(
        lambda: Application.objects.filter(pk=application.pk).exclude(voucher_pdf="").first(),
        timeout=90,
        what="voucher rendered by a worker",
    )
    voucher = company.request(f"{web_a}/innoscheck/{application.pk}/documents/voucher/")
    assert voucher.status == 200
    assert application.voucher_number in PdfReader(io.BytesIO(voucher.body)).pages[0].extract_text()

    # A report requested on web B: its annex parts are rendered by both workers, joined, and
    # downloaded through web A.
    _supported_companies(pdf.ANNEX_ROWS_PER_PAGE * 2 + 5)
    reviewer.request(f"{web_b}/reports/new/")
    response = reviewer.request(
        f"{web_b}/reports/new/",
        fields={"phase": application.phase.pk, "preset": "phase", "kind": "indicators", "language": "de"},
    )
    assert response.status == 302, response.body[:2000]
    report_id = int(re.search(r"/reports/(\d+)/", response.headers["Location"]).group(1))
    report = _wait(
        lambda: Report.objects.filter(pk=report_id, status__in=[ReportStatus.DONE, ReportStatus.FAILED]).first(),
        timeout=120,
        what="report built",
    )
    assert report.status == ReportStatus.DONE, report.failure_reason
    assert report.timings["parts"] == 3
    workers = report.timings["parts_by"]
    assert sorted(name.split("@")[0] for name in workers) == ["worker-a", "worker-b"], workers
    assert sum(workers.values()) == 3
    download = reviewer.request(f"{web_a}/reports/{report.pk}/download/")
    assert download.status == 200
    assert hashlib.sha256(download.body).hexdigest() == report.checksum
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(download.body)).pages)
    assert "Anhang, Seite 3 von 3" in text
    assert machines["bucket"].keys("reports/") == [report.file.name]  # the parts are gone

    # The login rate limit counts across both webs (allauth's counters in the shared Redis).
    victim = _with_password(UserFactory(email=f"victim-{uuid.uuid4().hex[:8]}@example.com"))
    attacker = Visitor()
    attacker.request(f"{web_a}/accounts/login/")
    for attempt in range(5):
        web = (web_a, web_b)[attempt % 2]
        response = attacker.request(f"{web}/accounts/login/", fields={"login": victim.email, "password": WRONG})
        assert response.status == 200
    # Three failures on web A and two on web B: only counters both share reach allauth's five.
    response = attacker.request(f"{web_b}/accounts/login/", fields={"login": victim.email, "password": TEST_PASSWORD})
    assert response.status == 200
    assert "Zu viele gescheiterte Anmeldeversuche" in response.body.decode()
    assert "sessionid" not in attacker.cookies
