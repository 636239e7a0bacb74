"""Production settings, checked on real responses of gunicorn running digitalfabrik.settings.production."""

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest

from accounts.tests.factories import TEST_PASSWORD, UserFactory

from .servers import PYTHON, ROOT, production_env, set_production_password, worker_database_url


def test_check_deploy_is_clean():
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, django_db_blocker, production_static):
    """gunicorn with the production settings on the test database, behind a pretend TLS proxy."""
    env = production_env(DATABASE_URL=worker_database_url(), STATIC_ROOT=str(production_static))
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "digitalfabrik.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    # Ready once a worker has loaded Django and answered (the socket accepts long before that on a
    # busy machine).
    while True:
        try:
            _request(f"{base}/accounts/login/", timeout=30).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a busy machine: gunicorn's graceful stop can take its time
        process.kill()
        process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(url: str, *, data: bytes | None = None, headers: dict | None = None, timeout: float = 10):
    request = urllib.request.Request(url, data=data, headers={"X-Forwarded-Proto": "https", **(headers or {})})  # noqa: S310
    try:
        return urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        return error


def _cookies(response) -> dict[str, str]:
    """Each Set-Cookie header by cookie name, as sent (attributes included)."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_all("Set-Cookie") or []}


def test_security_headers_on_the_login_page(gunicorn):
    response = _request(f"{gunicorn}/accounts/login/")
    assert response.status == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in (part.strip() for part in headers["Content-Security-Policy"].split(";"))
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    csrf = _cookies(response)["csrftoken"]
    assert "Secure" in csrf


def test_plain_http_is_redirected_to_https(gunicorn):
    response = _request(f"{gunicorn}/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


def test_static_files_are_served_with_nosniff(gunicorn, production_static):
    # Production keeps only the hashed names (WHITENOISE_KEEP_ONLY_HASHED_FILES), as pages link them.
    hashed = json.loads((production_static / "staticfiles.json").read_text())["paths"]["css/portal.css"]
    response = _request(f"{gunicorn}/static/{hashed}")
    assert response.status == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert _request(f"{gunicorn}/static/css/portal.css").status == 404


@pytest.mark.django_db(transaction=True)
def test_login_sets_a_secure_http_only_session_cookie(gunicorn):
    user = UserFactory(email="headers@example.com")
    set_production_password(user, TEST_PASSWORD)
    login_url = f"{gunicorn}/accounts/login/"
    page = _request(login_url)
    csrf_cookie = SimpleCookie(page.headers["Set-Cookie"])["csrftoken"].value
    body = urllib.parse.urlencode(
        {"login": user.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": csrf_cookie}
    ).encode()
    response = _request(
        login_url,
        data=body,
        headers={
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": login_url.replace("http://", "https://"),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status == 302, response.read().decode()[-6000:]
    session = _cookies(response)["sessionid"]
    assert "Secure" in session
    assert "HttpOnly" in session
    assert "SameSite=Lax" in session
