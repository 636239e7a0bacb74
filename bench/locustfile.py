"""Realistic traffic for bench/locust_run.py: people of every role, logging in, reading and writing.

Companies 80 %, coaches 10 %, staff 8 %, funders 2 % of the simulated people (Locust weights).
Each logs in through the real forms (password, then the TOTP code for staff, coaches and
funders), then works with a think time of 3–10 s between requests. About one request in ten
writes: a company saves a step of its draft application, a coach records a held session, staff
and funders start a report, and anyone with a conversation sends a message once that page exists.
The accounts come from bench/locust_run.py (``LOCUST_ACCOUNTS``, a JSON file), one per simulated
person, so TOTP codes, which are single-use per account, never collide.
"""

import base64
import datetime
import hashlib
import hmac
import itertools
import json
import os
import re
import struct
import threading
import time
from pathlib import Path

from locust import HttpUser, between, task

ACCOUNTS = json.loads(Path(os.environ["LOCUST_ACCOUNTS"]).read_text()) if os.environ.get("LOCUST_ACCOUNTS") else {}
PASSWORD = ACCOUNTS.get("password", "")
TOTP_SECRET = ACCOUNTS.get("totp_secret", "")
_counters = {role: itertools.count() for role in ("company", "coach", "staff", "funder")}
_lock = threading.Lock()
_addresses = itertools.count(1)


def totp_now(secret: str) -> str:
    """RFC 6238 as allauth's default TOTP (SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', re.IGNORECASE)


class PortalUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(3, 10)

    def on_start(self):
        # Cookies by hand: the benchmark talks plain HTTP to gunicorn on 127.0.0.1 (no TLS proxy in
        # front), and a cookie jar keeps the production settings' Secure cookies off plain HTTP.
        self.cookies: dict[str, str] = {}
        with _lock:
            accounts = ACCOUNTS[self.role]
            self.account = accounts[next(_counters[self.role]) % len(accounts)]
            number = next(_addresses)
        # The address a proxy in front of gunicorn would pass on (locust_run.py trusts one proxy).
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.log_in()

    def _keep(self, response):
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def _headers(self) -> dict:
        return {
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "X-Forwarded-For": self.address,
        }

    def get(self, path: str, *, name: str):
        return self._keep(self.client.get(path, headers=self._headers(), allow_redirects=False, name=name))

    def post_form(self, path: str, data: dict, *, name: str):
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._keep(self.client.post(path, data=data, headers=self._headers(), allow_redirects=False, name=name))

    def log_in(self):
        self.cookies.clear()
        self.get("/accounts/login/", name="login page")
        response = self.post_form(
            "/accounts/login/", {"login": self.account["email"], "password": PASSWORD}, name="login: password"
        )
        location = response.headers.get("Location", "")
        if "/2fa/authenticate/" in location:
            self.get(location, name="login: second factor page")
            response = self.post_form(location, {"code": totp_now(TOTP_SECRET)}, name="login: second factor")
            location = response.headers.get("Location", "/")
        self.get(location or "/", name="dashboard")

    @task(1)
    def log_in_again(self):
        """Now and then a person comes back after their session ended."""
        self.log_in()

    @task(1)
    def bare(self):
        """The ceiling under the same load: a fixed text through the whole middleware stack."""
        self.get("/bench/bare/", name="bare view")


class CompanyUser(PortalUser):
    weight = 80
    role = "company"

    @task(8)
    def dashboard(self):
        self.get("/", name="dashboard")

    @task(4)
    def applications(self):
        self.get("/innoscheck/", name="company: applications")

    @task(3)
    def coaching_requests(self):
        self.get("/coaching/requests/", name="company: coaching requests")

    @task(2)
    def events(self):
        self.get("/coaching/events/", name="events")

    @task(2)
    def company_profile(self):
        self.get(f"/companies/{self.account['company']}/", name="company: profile")

    @task(2)
    def draft(self):
        self.get(f"/innoscheck/{self.account['draft']}/edit/project/", name="company: draft step")

    @task(2)
    def save_draft_step(self):
        path = f"/innoscheck/{self.account['draft']}/edit/project/"
        self.get(path, name="company: draft step")
        self.post_form(
            path,
            {
                "topic": "it_security",
                "title": f"IT-Sicherheit {datetime.datetime.now():%H:%M:%S}",
                "description": "Absicherung der Fertigungsnetze",
                "goals": "Weniger Ausfälle",
            },
            name="write: save a draft step",
        )


class CoachUser(PortalUser):
    weight = 10
    role = "coach"

    @task(6)
    def caseload(self):
        self.get("/coaching/caseload/", name="coach: caseload")

    @task(3)
    def queue(self):
        self.get("/coaching/queue/", name="coach: queue")

    @task(4)
    def case(self):
        self.get(f"/coaching/cases/{self.account['case']}/", name="coach: case")

    @task(2)
    def dashboard(self):
        self.get("/", name="dashboard")

    @task(2)
    def record_session(self):
        path = f"/coaching/cases/{self.account['case']}/sessions/record/"
        page = self.get(path, name="coach: record session form")
        fields = dict(HIDDEN.findall(page.text))
        yesterday = datetime.datetime.now() - datetime.timedelta(days=1)
        self.post_form(
            path,
            {
                **fields,
                "starts_at": yesterday.strftime("%Y-%m-%dT10:00"),
                "duration_hours": "1,5",
                "form": "online",
                "shared_notes": "Nächste Schritte besprochen",
                "participants-0-name": "Erika Beispiel",
                "participants-0-email": "erika@bench.example",
            },
            name="write: record a session",
        )


class StaffUser(PortalUser):
    weight = 8
    role = "staff"

    @task(6)
    def review_queue(self):
        self.get("/innoscheck/review/", name="staff: review queue")

    @task(3)
    def application(self):
        self.get(f"/innoscheck/{self.account['application']}/", name="staff: application")

    @task(3)
    def companies(self):
        self.get("/companies/", name="staff: companies")

    @task(2)
    def caseload(self):
        self.get("/coaching/caseload/", name="staff: caseload")

    @task(2)
    def dashboard(self):
        self.get("/", name="dashboard")

    @task(1)
    def start_report(self):
        _start_report(self)


class FunderUser(PortalUser):
    weight = 2
    role = "funder"

    @task(6)
    def indicators(self):
        self.get("/reports/indicators/", name="funder: indicator dashboard")

    @task(3)
    def reports(self):
        self.get("/reports/", name="funder: reports")

    @task(1)
    def start_report(self):
        _start_report(self)


def _start_report(user: PortalUser) -> None:
    user.get("/reports/new/", name="report form")
    user.post_form(
        "/reports/new/",
        {
            "kind": "indicators",
            "phase": ACCOUNTS["phase"],
            "preset": "quarter",
            "year": str(datetime.date.today().year),
            "part": "1",
            "language": "de",
        },
        name="write: start a report",
    )
