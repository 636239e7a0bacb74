#!/usr/bin/env python
"""Load benchmark: gunicorn with the production settings, wrk at 16 connections, one run for all pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/load.py

Needs the data of bench/generate_scale_data.py (its users log in here, TOTP included) and `wrk`
(apt-get install wrk). gunicorn listens on 127.0.0.1 only, over plain HTTP, so the HTTPS redirect
is switched off (DJANGO_SECURE_SSL_REDIRECT=false); everything else is settings/production.py with
DEBUG off. For each page: a warm-up, then a fixed measuring time; prints requests/s, the ratio to
the bare view, p50 and p95. A page that does not exist yet (404) or that its user cannot open is
listed as "not available" with the reason. Target (issue 14): ratio >= 0.2 and p95 < 100 ms, rendered fresh.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_scale_data import BENCH_PASSWORD, BENCH_TOTP_SECRET, BENCH_USERS  # noqa: E402

# (label, who, path). Override or add with --page "label=role:/path".
PAGES = [
    ("bare view", "anonymous", "/bench/bare/"),
    # Floors, not targets: what every logged-in page pays before its own content.
    ("bare view, logged in", "company", "/bench/bare-logged-in/"),
    ("empty page, logged in", "company", "/bench/empty-page/"),
    ("login page", "anonymous", "/accounts/login/"),
    ("company dashboard", "company", "/"),
    ("company applications", "company", "/innoscheck/"),
    ("company requests", "company", "/coaching/requests/"),
    ("company events", "company", "/coaching/events/"),
    ("coach dashboard", "coach", "/"),
    ("coach caseload", "coach", "/coaching/caseload/"),
    ("coach queue", "coach", "/coaching/queue/"),
    ("coach projects", "coach", "/coaching/projects/"),
    ("coach companies", "coach", "/companies/"),
    ("staff dashboard", "staff", "/"),
    ("staff review queue", "staff", "/innoscheck/review/"),
    ("staff companies", "staff", "/companies/"),
    ("staff experts", "staff", "/innoscheck/experts/"),
    ("funder dashboard", "funder", "/"),
    ("funder indicator dashboard", "funder", "/reports/indicators/"),
    ("funder reports", "funder", "/reports/"),
]
TARGET_RATIO = 0.2
TARGET_P95_MS = 100


def totp_now(secret: str, *, period: int = 30, digits: int = 6) -> str:
    """RFC 6238, as allauth's default TOTP (SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // period), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser for a form login: cookies by name, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http://127.0.0.1 only
        if self.cookies:
            request.add_header("Cookie", self.cookie_header())
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def post_form(self, path: str, data: dict):
        return self.request(path, {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def log_in(base: str, email: str) -> str:
    """Log in through the real forms (password, then TOTP if asked); returns the Cookie header."""
    browser = Browser(base)
    browser.request("/accounts/login/")
    response = browser.post_form("/accounts/login/", {"login": email, "password": BENCH_PASSWORD})
    location = response.headers.get("Location", "")
    if response.status != 302:
        raise RuntimeError(f"login of {email} gave {response.status}")
    if "/2fa/authenticate/" in location:
        browser.request(location)
        response = browser.post_form(location, {"code": totp_now(BENCH_TOTP_SECRET)})
        if response.status != 302:
            raise RuntimeError(f"TOTP of {email} gave {response.status}")
    # Open the page the login leads to, as a browser would: it shows (and so uses up) the
    # "signed in" message, which would otherwise ride along in every measured request.
    browser.request(response.headers.get("Location", "/"))
    return browser.cookie_header()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(args, static_root: str, **extra_env: str) -> tuple[subprocess.Popen, str]:
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "digitalfabrik.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": args.redis_url,
        "CACHE_URL": args.cache_url,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "STATIC_ROOT": static_root,
        **extra_env,
    }
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "digitalfabrik.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


def wrk(args, url: str, cookie: str, seconds: int) -> dict:
    result = subprocess.run(  # noqa: S603
        [args.wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s"]
        + ["-s", str(Path(__file__).with_name("wrk_report.lua")), url],
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def probe(base: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        return urllib.request.build_opener(_NoRedirect).open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def parse_pages(extra: list[str]) -> list[tuple[str, str, str]]:
    pages = {label: (role, path) for label, role, path in PAGES}
    for item in extra:
        match = re.fullmatch(r"(?P<label>[^=]+)=(?P<role>[a-z]+):(?P<path>/.*)", item)
        if not match:
            raise SystemExit(f"--page {item!r}: expected label=role:/path")
        pages[match["label"]] = (match["role"], match["path"])
    return [(label, role, path) for label, (role, path) in pages.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--page", action="append", default=[], help='"label=role:/path", role as in BENCH_USERS')
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("set DATABASE_URL (or --database-url) to the PostgreSQL database of generate_scale_data.py")
    if not shutil.which(args.wrk):
        parser.error("wrk not found: apt-get install wrk")

    pages = parse_pages(args.page)
    with tempfile.TemporaryDirectory() as static_root:
        process, base = start_gunicorn(args, static_root)
        try:
            rows = measure(args, base, pages)
        finally:
            process.terminate()
            process.wait(timeout=30)
    print_table(args, rows)
    return 0


def measure(args, base: str, pages) -> list[dict]:
    cookies, login_errors = {"anonymous": ""}, {}
    for role in sorted({role for _label, role, _path in pages} - {"anonymous"}):
        try:
            cookies[role] = log_in(base, BENCH_USERS[role])
        except (KeyError, RuntimeError) as error:
            login_errors[role] = f"login failed: {error}"
    rows = []
    for label, role, path in pages:
        row = {"page": label, "path": path, "role": role}
        if role in login_errors:
            rows.append({**row, "missing": login_errors[role]})
            continue
        status = probe(base, path, cookies[role])
        if status != 200:
            reason = "no such page yet (404)" if status == 404 else f"HTTP {status} for {role}"
            rows.append({**row, "missing": reason})
            continue
        if args.warmup:
            wrk(args, base + path, cookies[role], args.warmup)
        result = wrk(args, base + path, cookies[role], args.duration)
        rows.append({**row, **result})
        print(f"  measured {label}: {result['rps']:.0f} req/s", file=sys.stderr)
    return rows


def print_table(args, rows: list[dict]) -> None:
    bare = next((row["rps"] for row in rows if row["page"] == "bare view" and "rps" in row), None)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\n{args.connections} connections, {args.threads} wrk threads, gunicorn {args.workers} sync workers, "
        f"{args.duration} s per page, {os.cpu_count()} CPUs, load average {load}\n"
    )
    print("| page | req/s | ratio to bare | p50 ms | p95 ms | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        if "missing" in row:
            print(f"| {row['page']} | not available: {row['missing']} | | | | |")
            continue
        if not row["requests"]:
            print(f"| {row['page']} | 0 | 0.00 | – | – | MISSED (no response within {args.duration} s) |")
            continue
        ratio = row["rps"] / bare if bare else float("nan")
        errors = row["errors_status"] + row["errors_connect"] + row["errors_read"] + row["errors_timeout"]
        met = ratio >= TARGET_RATIO and row["p95_ms"] < TARGET_P95_MS and not errors
        verdict = "met" if met else "MISSED" + (f" ({errors} errors)" if errors else "")
        if row["page"] == "bare view":
            verdict = "ceiling"
        elif row["path"].startswith("/bench/"):
            verdict = "floor"
        figures = f"{row['rps']:,.0f} | {ratio:.2f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f}"
        print(f"| {row['page']} | {figures} | {verdict} |")


if __name__ == "__main__":
    sys.exit(main())
