"""digitalfabrik.db.AnyOf: "one of the subquery's values", as pk__in, written so an index can serve it."""

import pytest
from django.db import connection
from django.db.models import F, Q

from accounts.tests.factories import CoachFactory
from coaching.models import Case
from coaching.tests.factories import CaseFactory
from digitalfabrik.db import AnyOf

pytestmark = pytest.mark.django_db


def test_own_or_added_finds_the_same_cases_as_in_and_each_once():
    coach, other = CoachFactory(), CoachFactory()
    own, added, both, neither = (CaseFactory(coach=c) for c in (coach, other, coach, other))
    added.added_coaches.add(coach)
    both.added_coaches.add(coach, other)
    neither.added_coaches.add(other)
    subquery = Case.added_coaches.through.objects.filter(user=coach).values("case_id")

    with_any = Case.objects.filter(Q(coach=coach) | AnyOf(F("pk"), subquery))
    with_in = Case.objects.filter(Q(coach=coach) | Q(pk__in=subquery))

    assert sorted(with_any.values_list("pk", flat=True)) == sorted(with_in.values_list("pk", flat=True))
    assert sorted(with_any.values_list("pk", flat=True)) == sorted([own.pk, added.pk, both.pk])
    assert with_any.count() == 3
    # Inside another subquery (its tables renamed) too.
    assert Case.objects.filter(pk__in=with_any.values("pk")).count() == 3


def test_postgresql_gets_an_array_the_planner_reads_from_an_index():
    subquery = Case.added_coaches.through.objects.filter(user_id=1).values("case_id")
    sql = str(Case.objects.filter(AnyOf(F("pk"), subquery)).query)
    assert connection.vendor == "postgresql"
    assert '"coaching_case"."id" = ANY(ARRAY(SELECT' in sql
