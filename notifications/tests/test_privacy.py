"""The outbox's part of the privacy export and the erasure (notifications/privacy.py)."""

import pytest

from accounts.factories import UserFactory
from accounts.privacy import ERASED_NAME, account_erase, person_pseudonym_email, personal_data
from notifications.models import OutboxMail, OutboxStatus

pytestmark = pytest.mark.django_db


def _mail(**fields) -> OutboxMail:
    return OutboxMail.objects.create(**{"kind": "test", "language": "de", "body_text": "", **fields})


def test_the_export_lists_the_mails_to_the_person_and_no_others():
    person = UserFactory(email="ina.berg@firma.example", first_name="Ina", last_name="Berg")
    _mail(user=person, recipient=person.email, subject="Ihr Antrag", status=OutboxStatus.SENT)
    _mail(recipient="INA.BERG@firma.example", subject="Einladung")
    _mail(recipient="other@firma.example", subject="Nicht Ihre")

    documents, _files = personal_data(user=person)

    assert sorted(mail["subject"] for mail in documents["emails_to_you.json"]) == ["Einladung", "Ihr Antrag"]


def test_erasure_pseudonymises_the_recipient_scrubs_the_text_and_stops_waiting_mails():
    person = UserFactory(email="ina.berg@firma.example", first_name="Ina", last_name="Berg")
    sent = _mail(
        user=person,
        recipient=person.email,
        subject="Guten Tag Ina Berg",
        body_text="Hallo Ina Berg, Ihre Adresse ina.berg@firma.example",
        status=OutboxStatus.SENT,
    )
    waiting = _mail(recipient=person.email, subject="Erinnerung")
    other = _mail(recipient="other@firma.example", subject="Guten Tag")

    account_erase(user=person)

    sent.refresh_from_db()
    waiting.refresh_from_db()
    other.refresh_from_db()
    pseudonym = person_pseudonym_email("ina.berg@firma.example")
    assert sent.recipient == pseudonym and waiting.recipient == pseudonym
    assert sent.subject == f"Guten Tag {ERASED_NAME}"
    assert "Ina Berg" not in sent.body_text and "ina.berg@firma.example" not in sent.body_text
    assert waiting.status == OutboxStatus.FAILED and sent.status == OutboxStatus.SENT
    assert (other.recipient, other.subject, other.status) == ("other@firma.example", "Guten Tag", OutboxStatus.PENDING)
