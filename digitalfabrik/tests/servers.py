"""Real servers for tests: gunicorn with the production settings, and redis-server, each on a free port."""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings

from accounts.hashers import Argon2PasswordHasher
from digitalfabrik.celery import app

ROOT = Path(settings.BASE_DIR)
PYTHON = Path(sys.executable)


def redis_url() -> str:
    """The Redis of this test process, for tests that count in a real Redis cache: CELERY_BROKER_URL (conftest.py
    gives each xdist worker its own database there), or the local default when it is unset."""
    return os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


def production_env(**extra: str) -> dict[str, str]:
    # Without the test-only flag conftest.py sets for Playwright (check --deploy rejects it).
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "digitalfabrik.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,portal.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitalfabrik"),
        # The broker of this test process (CELERY_BROKER_URL, per xdist worker): never a fixed port.
        "CELERY_BROKER_URL": app.conf.broker_url,
    }
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{what} did not start: {process.communicate()[1]!r}") from None
            time.sleep(0.1)


def start_redis(port: int) -> subprocess.Popen:
    """A redis-server of this test's own, in memory only."""
    process = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, process, "redis-server")
    return process


def stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if process.poll() is None:
        process.kill() if kill else process.terminate()
    process.wait(timeout=10)


def worker_database_url() -> str:
    """The test database (this xdist worker's) as a URL, for the processes a test starts."""
    database = settings.DATABASES["default"]
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def celery_worker_command(queue: str, *options: str) -> list[str]:
    """``celery worker`` of this virtualenv consuming ``queue``."""
    return [str(PYTHON.with_name("celery")), "-A", "digitalfabrik", "worker", "-Q", queue, *options]


def celery_worker_env(**extra: str) -> dict[str, str]:
    """A worker process's environment: the test settings on the test database, tasks through the broker."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digitalfabrik.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": worker_database_url(),
        **extra,
    }


def empty_broker() -> None:
    """Empty this test process's broker (its own Redis database, see conftest.py) before a worker starts.

    Purging a queue keeps what a killed worker had taken but not acknowledged: Redis hands that out
    again to the next worker, in a later test or a later run. Once a test's report failed with the time
    limit (0.2 s) of a message left by the time-limit test of the run before, whose report had the same
    id in that run's database.
    """
    with app.connection_for_write() as connection:
        if connection.transport.driver_type == "redis":
            connection.default_channel.client.flushdb()


@contextlib.contextmanager
def celery_worker(queue: str, *options: str, **env: str) -> Iterator[subprocess.Popen]:
    """A real worker process consuming ``queue`` (one task at a time) on an empty broker; while it runs,
    this process sends tasks to the broker instead of running them eagerly."""
    empty_broker()
    command = celery_worker_command(
        queue,
        *("--pool", "solo", "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"),
        *options,
    )
    process = subprocess.Popen(command, cwd=ROOT, env=celery_worker_env(**env))  # noqa: S603 - fixed arguments
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def gunicorn(static_root, stderr_path, **extra_env: str) -> Iterator[str]:
    """gunicorn with the production settings on the test database; yields its base URL.

    Its log (JSON lines, production's format) goes to ``stderr_path``.
    """
    env = production_env(DATABASE_URL=worker_database_url(), STATIC_ROOT=str(static_root), **extra_env)
    port = free_port()
    with open(stderr_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "digitalfabrik.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_for_port(port, process, "gunicorn")
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser for production settings behind a TLS proxy: cookies, CSRF, no redirects."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, *, data: dict | None = None, headers: dict | None = None):
        url = self.base + path
        all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Referer"] = url.replace("http://", "https://")
        request = urllib.request.Request(url, data=body, headers=all_headers)  # noqa: S310
        try:
            response = urllib.request.build_opener(_NoRedirect).open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def log_in(self, email: str, password: str):
        self.request("/accounts/login/")
        return self.request("/accounts/login/", data={"login": email, "password": password})


def set_production_password(user, password: str) -> None:
    """The test settings hash with MD5, which production does not accept."""
    hasher = Argon2PasswordHasher()  # production's (settings.base)
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])
