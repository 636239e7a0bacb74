"""Two sessions recorded at the same moment on a day that has no count yet: real concurrent PostgreSQL
connections (one per thread) both add to the day's count; neither is lost or refused."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import CoachFactory
from coaching import services as coaching
from coaching.choices import CaseStatus, ContactForm
from coaching.models import Session
from coaching.tests.factories import CaseFactory
from digitalfabrik.tests.concurrency import at_once
from reporting.models import SupportDay, SupportFact, SupportKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sessions_recorded_at_once_on_a_new_day_both_count():
    coach = CoachFactory()
    cases = [CaseFactory(coach=coach, status=CaseStatus.IN_PROGRESS) for _ in range(2)]
    day = timezone.localdate() - datetime.timedelta(days=2)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    def record(case):
        return lambda: coaching.session_record_held(
            case=case, by=coach, starts_at=at, duration_hours=Decimal(1), form=ContactForm.ONLINE
        )

    results = at_once(*(record(case) for case in cases))

    assert [type(result) for result in results] == [Session, Session]
    assert SupportFact.objects.filter(kind=SupportKind.COACHING, day=day).count() == 2
    assert SupportDay.objects.get(kind=SupportKind.COACHING, day=day).facts == 2
