"""Operations settings: error mails, Sentry, JSON logs (Django and Celery workers), SMTP timeout.

Production settings can only be loaded in a fresh interpreter (they read secrets and start Sentry),
so those checks run in a subprocess with the environment production requires.
"""

import gzip
import http.server
import json
import logging
import logging.config
import socket
import subprocess
import sys
import threading
import time
import zlib

import pytest
from django.core import mail

from digitalfabrik.settings import base

from .servers import PYTHON, ROOT, production_env

# Loads the production settings and prints what operations depend on, as JSON.
SETTINGS = """
import json, django, sentry_sdk
django.setup()
from django.conf import settings
client = sentry_sdk.get_client()
print(json.dumps({
    "sentry_active": client.is_active(),
    "sentry_options": {key: client.options[key] for key in ("environment", "release", "send_default_pii")}
    if client.is_active() else None,
    "sentry_integrations": sorted(client.integrations) if client.is_active() else [],
    "EMAIL_TIMEOUT": settings.EMAIL_TIMEOUT,
    "ADMINS": settings.ADMINS,
    "SERVER_EMAIL": settings.SERVER_EMAIL,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "console_formatter": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def _production(script: str, **extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", script], cwd=ROOT, env=production_env(**extra), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


def _settings(**extra: str) -> dict:
    return json.loads(_production(SETTINGS, **extra).stdout.strip().splitlines()[-1])


def test_production_without_sentry_dsn_reports_nothing_and_mails_the_admins():
    loaded = _settings(
        SENTRY_DSN="",
        DJANGO_ADMINS="Betrieb <betrieb@portal.example>, Bereitschaft <oncall@portal.example>",
        DJANGO_SERVER_EMAIL="fehler@portal.example",
    )
    assert loaded["sentry_active"] is False
    assert loaded["ADMINS"] == [["Betrieb", "betrieb@portal.example"], ["Bereitschaft", "oncall@portal.example"]]
    assert loaded["SERVER_EMAIL"] == "fehler@portal.example"
    assert loaded["EMAIL_TIMEOUT"] == 10
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert loaded["console_formatter"] == "json"


def test_production_with_sentry_dsn_reports_without_personal_data():
    loaded = _settings(
        SENTRY_DSN="http://public@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="2026.11.30",
        EMAIL_TIMEOUT="3",
    )
    assert loaded["sentry_active"] is True
    assert loaded["sentry_options"] == {"environment": "staging", "release": "2026.11.30", "send_default_pii": False}
    assert {"django", "celery", "redis", "logging"} <= set(loaded["sentry_integrations"])
    assert loaded["EMAIL_TIMEOUT"] == 3


class _Envelopes(http.server.BaseHTTPRequestHandler):
    """A stand-in Sentry: keeps the body of every envelope it is sent."""

    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    _Envelopes.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Envelopes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://public@127.0.0.1:{server.server_address[1]}/1", _Envelopes.received
    server.shutdown()


def test_an_error_log_reaches_sentry_with_environment_and_release(sentry_server):
    dsn, received = sentry_server
    _production(
        "import django, logging, sentry_sdk\n"
        "django.setup()\n"
        "logging.getLogger('reporting.tasks').error('Report %s failed', 17)\n"
        "sentry_sdk.flush(timeout=5)\n",
        SENTRY_DSN=dsn,
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="2026.11.30",
    )
    event = json.loads(b"".join(received).decode().splitlines()[-1])
    assert event["logentry"]["message"] == "Report %s failed"
    assert event["logger"] == "reporting.tasks"
    assert event["level"] == "error"
    assert (event["environment"], event["release"]) == ("staging", "2026.11.30")
    assert "user" not in event


def test_json_formatter_writes_one_parseable_object_per_record():
    config = base.logging_config(log_format="json")
    formatter = logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["json"])
    try:
        raise ValueError("kaputt")
    except ValueError:
        record = logging.getLogger("innoscheck.tasks").makeRecord(
            "innoscheck.tasks", logging.ERROR, __file__, 1, "Render %s failed", ("voucher 7",), sys.exc_info()
        )
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "innoscheck.tasks"
    assert entry["message"] == "Render voucher 7 failed"
    assert entry["time"]
    assert "ValueError: kaputt" in entry["exc_info"]


def test_celery_workers_log_json_through_djangos_logging():
    """What `celery worker` calls at start: with our setup_logging receiver it applies Django's LOGGING."""
    result = _production(
        "import django, logging\n"
        "django.setup()\n"
        "from digitalfabrik.celery import app\n"
        "app.log.setup(loglevel='INFO')\n"
        "logging.getLogger('celery.worker.strategy').info('Task received')\n"
        "logging.getLogger('reporting.tasks').error('Report failed')\n"
    )
    entries = [json.loads(line) for line in result.stderr.strip().splitlines()]
    assert [(entry["logger"], entry["level"], entry["message"]) for entry in entries] == [
        ("celery.worker.strategy", "INFO", "Task received"),
        ("reporting.tasks", "ERROR", "Report failed"),
    ]


@pytest.fixture
def silent_smtp_server():
    """A TCP server that accepts connections (the kernel completes the handshake) and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_sending_mail_gives_up_after_email_timeout(settings, silent_smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_smtp_server
    settings.EMAIL_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises((TimeoutError, OSError)):
        mail.send_mail("Betreff", "Text", "portal@example.com", ["anna@example.com"])
    assert 0.9 < time.monotonic() - started < 3
