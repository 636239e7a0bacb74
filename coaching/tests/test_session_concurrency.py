"""Real concurrent PostgreSQL connections (one per thread) changing one planned session at the same moment."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from coaching import services
from coaching.choices import SessionStatus
from coaching.models import Session
from coaching.tests.calendar_mails import invitations_to
from coaching.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session(world):
    case = CaseFactory(company=world.company_a, requested_by=world.users["member_a"])
    services.case_assign(case=case, coach=world.users["coach"], by=world.users["staff"])
    case.refresh_from_db()
    session = services.session_plan(
        case=case,
        by=case.coach,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_hours=Decimal(1),
        form="online",
    )
    mail.outbox.clear()
    return session


def _at_once(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def _to_member(session) -> list:
    return invitations_to(session.case.requested_by.email)


def test_two_cancellations_at_once_cancel_once_and_send_one_invitation(session):
    coach = session.case.coach
    cancel = lambda: services.session_cancel(session=Session.objects.get(pk=session.pk), by=coach)  # noqa: E731
    assert _at_once(cancel, cancel) == ["done", "refused"]
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    assert len(_to_member(session)) == 1


def test_reschedule_and_cancel_at_once_never_lose_a_sequence_number(session):
    coach = session.case.coach

    def reschedule():
        services.session_reschedule(
            session=Session.objects.get(pk=session.pk),
            by=coach,
            starts_at=timezone.now() + datetime.timedelta(days=6),
            duration_hours=Decimal(2),
            form="phone",
        )

    def cancel():
        services.session_cancel(session=Session.objects.get(pk=session.pk), by=coach)

    outcomes = _at_once(reschedule, cancel)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    # Each change that went through raised the SEQUENCE by one and sent one invitation: none overwrote another.
    mails = _to_member(session)
    assert session.sequence == outcomes.count("done") == len(mails)
    sequences = [int(message.attachments[0][1].split("SEQUENCE:")[1].split()[0]) for message in mails]
    assert sorted(sequences) == list(range(1, session.sequence + 1))
