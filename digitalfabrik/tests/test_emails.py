"""Every e-mail: the portal's name (not the host), one greeting and closing, formal "Sie" in German."""

import re
from pathlib import Path
from types import SimpleNamespace

import allauth
import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# Informal German ("du", "dein", "dich", "dir", "euch") is never used in a portal e-mail.
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer\w*)\b", re.IGNORECASE)
URL = re.compile(r"https?://\S+")
GREETING_AND_CLOSING = {
    "de": ("Guten Tag,", "Ihr Team der Digitalen Fabrik"),
    "en": ("Hello,", "Your Digitale Fabrik team"),
}


def _allauth_mails() -> list[str]:
    names = []
    for folder in ("account/email", "mfa/email"):
        for path in sorted((ALLAUTH_TEMPLATES / folder).glob("*_message.txt")):
            names.append(f"{folder}/{path.name}")
    return names


def _our_mails() -> list[str]:
    roots = [Path(app) / "templates" for app in ("coaching", "companies", "innoscheck", "reporting")]
    return sorted(str(path.relative_to(root)) for root in roots for path in root.rglob("*_body.txt"))


def _context() -> dict:
    now = timezone.now()
    user = SimpleNamespace(email="erika@example.com", get_full_name="Erika Muster", language="de", pk=1)
    company = SimpleNamespace(name="Ruhr Zerspanung GmbH", city="Dortmund")
    case = SimpleNamespace(get_topic_display="IT-Sicherheit", company=company)
    return {
        "user": user,
        "user_display": "Erika Muster",
        "email": "erika@example.com",
        "activate_url": "https://portal.example/confirm/abc/",
        "password_reset_url": "https://portal.example/reset/abc/",
        "code": "ABC123",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": now,
        "from_email": "a@example.com",
        "to_email": "b@example.com",
        "deleted_email": "c@example.com",
        "signup_url": "https://portal.example/signup/",
        "accept_url": "https://portal.example/accept/",
        "url": "https://portal.example/x/",
        "link": "https://portal.example/y/",
        "company": company,
        "invited_by": user,
        "coach": SimpleNamespace(get_full_name="Dr. Coach", email="coach@example.com", phone="+49 231 1"),
        "case": case,
        "session": SimpleNamespace(
            starts_at=now, duration_hours=1.5, get_form_display="Online", location="https://meet.example/x"
        ),
        "application": SimpleNamespace(
            title="Konzept", company=company, get_status_display="Bewilligt", voucher_number="ISR-2027-0001"
        ),
        "event": SimpleNamespace(note="Bitte beachten Sie die Frist."),
        "report": SimpleNamespace(
            get_kind_display="Indikatorenbericht",
            phase=SimpleNamespace(name="Phase 2"),
            period_start=now.date(),
            period_end=now.date(),
        ),
        "current_site": SimpleNamespace(name="Digitale Fabrik", domain="Digitale Fabrik"),
    }


@pytest.mark.parametrize("template", _allauth_mails() + _our_mails())
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_mail_greets_closes_and_is_formal(template, language):
    with translation.override(language):
        body = render_to_string(template, _context()).strip()
    greeting, closing = {
        "de": ("Guten Tag,", "Ihr Team der Digitalen Fabrik"),
        "en": ("Hello,", "Your Digitale Fabrik team"),
    }[language]
    assert body.startswith(greeting), body[:80]
    assert body.endswith(closing), body[-80:]
    assert body.count(greeting) == 1
    if language == "de":
        assert not INFORMAL.search(body), INFORMAL.search(body)
    assert "&amp;" not in body and "&quot;" not in body


@pytest.mark.django_db
def test_allauths_mails_name_the_portal_not_the_host(client, django_capture_on_commit_callbacks):
    # Every mail leaves through the outbox once the request's transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "neu@example.com",
                "password1": "Ein-langes-Passwort-2027",
                "password2": "Ein-langes-Passwort-2027",
            },
            HTTP_ACCEPT_LANGUAGE="de",
        )
    message = mail.outbox[-1]
    assert message.subject.startswith("[Digitale Fabrik] ")
    assert "Digitale Fabrik" in message.body
    assert "testserver" not in URL.sub("", message.body) and "testserver" not in message.subject
