"""The database connection's settings (digitalfabrik.settings.base.database)."""

import pytest
from django.db import connection

from digitalfabrik.settings.base import database


@pytest.mark.django_db
def test_the_portal_talks_to_postgresql_without_jit_compilation():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_options_given_in_the_url_are_kept_beside_it():
    config = database("postgres://portal@db:5432/portal?options=-c%20statement_timeout%3D5000")
    assert config["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"


def test_sqlite_gets_no_postgresql_options():
    assert "options" not in database("sqlite:////tmp/portal.sqlite3").get("OPTIONS", {})
