"""Over-size request bodies refused by gunicorn with production settings before the body is sent.

A raw socket sends only the request's head announcing a huge body (and a first slice of it) and
then waits: the answer must come while the body is still unsent. A server that waited for the body
would never answer (gunicorn kills a worker stuck for 30 s; the socket here gives up after 20 s).
"""

import socket
import time

import pytest

from .servers import Browser, gunicorn

GIGABYTE = 1024**3


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, production_static, tmp_path_factory):
    with gunicorn(production_static, tmp_path_factory.mktemp("uploads") / "gunicorn.log") as base:
        # The first request loads the URLs and templates; not part of what is measured.
        Browser(base).request("/accounts/login/")
        yield base.removeprefix("http://").split(":")


def _answer_to_head(server, path: str, headers: dict[str, str], first_bytes: bytes = b"") -> tuple[bytes, float]:
    host, port = server
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        started = time.monotonic()
        sock.sendall(head.encode() + first_bytes)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer, time.monotonic() - started


def test_an_upload_announcing_a_gigabyte_is_refused_before_it_is_sent(server):
    answer, elapsed = _answer_to_head(
        server,
        "/innoscheck/1/edit/attachments/",
        {"Content-Type": "multipart/form-data; boundary=xyz", "Content-Length": str(GIGABYTE)},
        first_bytes=b"--xyz\r\n" + b"0" * 65536,
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert elapsed < 10


def test_an_upload_without_announced_size_is_refused(server):
    answer, elapsed = _answer_to_head(
        server,
        "/innoscheck/1/edit/attachments/",
        {"Content-Type": "multipart/form-data; boundary=xyz", "Transfer-Encoding": "chunked"},
        first_bytes=b"10000\r\n" + b"0" * 65536,
    )
    assert answer.startswith(b"HTTP/1.1 411"), answer[:200]
    assert elapsed < 10


def test_a_form_page_refuses_a_body_larger_than_form_fields_need(server):
    answer, _ = _answer_to_head(
        server,
        "/accounts/login/",
        {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(50 * 1024 * 1024)},
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
