"""Far-out or reversed dates in the API's indicator filter are a 400 problem with the form's error,
never a 500 (the same FilterForm as the dashboard, issue 10.9)."""

import pytest

from accounts.tests.factories import StaffFactory
from api.scopes import Scope
from api.tests.factories import bearer, token_for
from programme.tests.factories import FundingPhaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("0001-01-01", "9999-12-31"), ("1989-12-31", "2026-03-31"), ("2026-03-31", "2026-01-01")],
)
def test_far_out_or_reversed_dates_are_a_400_problem(client, date_from, date_to):
    secret = token_for(StaffFactory(), scopes=[Scope.INDICATORS_READ])
    query = {"phase": FundingPhaseFactory().pk, "preset": "custom", "date_from": date_from, "date_to": date_to}
    response = client.get("/api/v1/indicators/", query, **bearer(secret))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]
