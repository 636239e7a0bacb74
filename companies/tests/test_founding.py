"""The new-enterprise rule (RCO05/CO05): under three years old on the day of the first support."""

import datetime

import pytest
from django.db.models import DateField, Value
from django.db.models.functions import Cast

from companies.founding import is_new_enterprise, new_enterprise_q
from companies.models import Company
from companies.tests.factories import CompanyFactory

SUPPORT = datetime.date(2026, 3, 10)

CASES = [
    (datetime.date(2023, 3, 10), False),  # exactly three years: not new
    (datetime.date(2023, 3, 11), True),  # one day less than three years: new
    (datetime.date(2020, 1, 1), False),
    (datetime.date(2026, 3, 10), True),  # founded on the day of the support
]


@pytest.mark.parametrize(("founded", "new"), CASES)
def test_rule_boundaries(founded, new):
    assert is_new_enterprise(founding_date=founded, supported_on=SUPPORT) is new


def test_leap_day_support():
    """Supported on 29 February 2028: three years before is 28 February 2025."""
    assert not is_new_enterprise(founding_date=datetime.date(2025, 2, 28), supported_on=datetime.date(2028, 2, 29))
    assert is_new_enterprise(founding_date=datetime.date(2025, 3, 1), supported_on=datetime.date(2028, 2, 29))


@pytest.mark.django_db
@pytest.mark.parametrize(("founded", "new"), [*CASES, (datetime.date(2025, 2, 28), None)])
def test_the_sql_twin_agrees_with_the_rule(founded, new):
    support = SUPPORT if new is not None else datetime.date(2028, 2, 29)
    expected = is_new_enterprise(founding_date=founded, supported_on=support)
    company = CompanyFactory(founding_date=founded)
    matches = Company.objects.filter(
        new_enterprise_q(founding_date="founding_date", supported_on=Cast(Value(support), DateField())), pk=company.pk
    ).exists()
    assert matches is expected


@pytest.mark.django_db
def test_an_unconfirmed_date_is_never_new():
    company = CompanyFactory(founding_date=datetime.date(2026, 1, 1), founding_date_confirmed=False)
    assert not Company.objects.filter(
        new_enterprise_q(founding_date="founding_date", supported_on=Cast(Value(SUPPORT), DateField())), pk=company.pk
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_migration_turns_the_founding_year_into_an_unconfirmed_first_of_january():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("companies", "0003_fill_responsible_partner")]
    after = [("companies", "0004_founding_date")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("companies", "Company")
        company = old.objects.create(
            name="Alt GmbH",
            legal_form="gmbh",
            street="Hansastraße 1",
            postcode="44137",
            city="Dortmund",
            region="dortmund",
            chamber="ihk_do",
            wz_section="C",
            wz_code="25.62",
            founding_year=2019,
            staff_headcount=5,
            annual_turnover=100000,
            balance_sheet_total=100000,
            contact_name="Anna Alt",
            contact_email="anna@alt.example",
            size_class="micro",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("companies", "Company")
        migrated = new.objects.get(pk=company.pk)
        assert (migrated.founding_date, migrated.founding_date_confirmed) == (datetime.date(2019, 1, 1), False)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
