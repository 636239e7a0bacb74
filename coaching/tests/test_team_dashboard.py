"""The coach's dashboard tiles count each case on the desk once: open, overdue, the queue, the week's sessions."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import CoachFactory
from coaching import selectors
from coaching.choices import CaseOutcome, CaseStatus, SessionStatus
from coaching.tests.factories import CaseFactory, NextStepFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_the_tiles_count_each_case_on_the_desk_once():
    coach, other = CoachFactory(), CoachFactory()
    today = timezone.localdate()
    yesterday, tomorrow = today - datetime.timedelta(days=1), timezone.now() + datetime.timedelta(days=1)
    late_once = CaseFactory(coach=coach, status=CaseStatus.IN_PROGRESS)
    NextStepFactory(case=late_once, due_date=yesterday)
    NextStepFactory(case=late_once, due_date=yesterday, done=True)
    late_twice = CaseFactory(coach=coach, status=CaseStatus.IN_PROGRESS)
    NextStepFactory(case=late_twice, due_date=yesterday)
    NextStepFactory(case=late_twice, due_date=yesterday - datetime.timedelta(days=3))
    added = CaseFactory(coach=other, status=CaseStatus.IN_PROGRESS)
    added.added_coaches.add(coach)
    NextStepFactory(case=added, due_date=today + datetime.timedelta(days=3))  # not late
    closed = CaseFactory(
        coach=coach, status=CaseStatus.CLOSED, outcome=CaseOutcome.IMPLEMENTED, closed_at=timezone.now()
    )
    NextStepFactory(case=closed, due_date=yesterday)
    not_mine = CaseFactory(coach=other, status=CaseStatus.IN_PROGRESS)
    NextStepFactory(case=not_mine, due_date=yesterday)
    CaseFactory(coach=None)  # in the queue, not on the desk
    for case in (late_once, closed, not_mine):
        SessionFactory(case=case, status=SessionStatus.PLANNED, starts_at=tomorrow)
    SessionFactory(case=late_twice, status=SessionStatus.PLANNED, starts_at=tomorrow + datetime.timedelta(days=9))

    figures = selectors.team_dashboard(coach)

    assert (figures["open_cases"], figures["overdue_cases"]) == (3, 2)
    assert figures["queue"] == 1
    assert figures["upcoming_sessions"] == 1  # the closed case's and another coach's are not on the desk
