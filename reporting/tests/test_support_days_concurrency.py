"""Two sessions recorded at the same moment on a day that has no count yet: real concurrent PostgreSQL
connections (one per thread) both add to the day's count; neither is lost or refused."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import CoachFactory
from coaching import services as coaching
from coaching.choices import CaseStatus, ContactForm
from coaching.tests.factories import CaseFactory
from reporting.models import SupportDay, SupportFact, SupportKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sessions_recorded_at_once_on_a_new_day_both_count():
    coach = CoachFactory()
    cases = [CaseFactory(coach=coach, status=CaseStatus.IN_PROGRESS) for _ in range(2)]
    day = timezone.localdate() - datetime.timedelta(days=2)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    barrier, errors = threading.Barrier(len(cases)), []

    def record(case):
        try:
            barrier.wait(timeout=10)
            coaching.session_record_held(
                case=case, by=coach, starts_at=at, duration_hours=Decimal(1), form=ContactForm.ONLINE
            )
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert SupportFact.objects.filter(kind=SupportKind.COACHING, day=day).count() == 2
    assert SupportDay.objects.get(kind=SupportKind.COACHING, day=day).facts == 2
