import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation

from digitalfabrik.tests.servers import free_port


class Mailbox:
    """What a local SMTP server received; ``answer`` set to an SMTP reply makes it refuse the message."""

    def __init__(self):
        self.received: list = []
        self.answer: str | None = None
        self.tries = 0
        # Refuse this many messages for now (4xx) before accepting.
        self.refuse_first = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.tries += 1
        if self.answer:
            return self.answer
        if self.tries <= self.refuse_first:
            return "451 4.3.0 Mail server temporarily unavailable"
        self.received.append(envelope)
        return "250 Message accepted for delivery"

    def refuse_for_now(self) -> None:
        self.answer = "451 4.3.0 Mail server temporarily unavailable"

    def refuse_for_good(self) -> None:
        self.answer = "550 5.1.1 No such mailbox"

    def accept(self) -> None:
        self.answer = None

    def recipients(self) -> list[str]:
        return [address for envelope in self.received for address in envelope.rcpt_tos]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free port that the portal's mail backend talks to."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield mailbox
    controller.stop()


@pytest.fixture
def silent_smtp(settings):
    """A server that accepts the connection and then never says a word (a hanging mail relay)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    use_smtp(settings, listener.getsockname()[1])
    yield
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
