"""The registries through which higher apps give accounts (and programme) their part without being imported."""

import pytest
from django.contrib.auth.hashers import make_password

from accounts import dashboard, privacy
from accounts.factories import UserFactory
from programme import links


def test_every_app_with_personal_data_registers_its_privacy_part():
    assert [part.name for part in privacy.parts()] == [
        "companies",
        "coaching",
        "innoscheck",
        "reporting",
        "api",
        "notifications",
    ]


def test_registering_a_part_again_replaces_it():
    before = privacy.parts()
    coaching = next(part for part in before if part.name == "coaching")
    privacy.register(coaching)
    assert privacy.parts() == before


def test_dashboard_panels_come_in_the_order_of_the_apps():
    templates = {role: [panel.template for panel in dashboard._panels[role]] for role in dashboard._panels}
    assert templates == {
        dashboard.COMPANY: ["coaching/_company_dashboard.html", "innoscheck/_company_dashboard.html"],
        dashboard.COACH: ["coaching/_coach_dashboard.html"],
        dashboard.STAFF: [
            "coaching/_staff_dashboard.html",
            "innoscheck/_staff_dashboard.html",
            "reporting/_staff_dashboard.html",
        ],
        dashboard.FUNDER: [
            "innoscheck/_funder_dashboard.html",
            "reporting/_funder_year.html",
            "reporting/_funder_dashboard.html",
        ],
    }


def test_links_of_a_kind_come_from_every_provider_and_registering_twice_changes_nothing():
    def first(*, obj, user):
        return [links.Link(label=f"{obj} for {user}", status="open", url=None)]

    links.register("test.thing", first)
    links.register("test.thing", first)
    try:
        assert links.linked("test.thing", obj="A", user="B") == [links.Link("A for B", "open", None)]
        assert links.linked("test.nothing", obj="A", user="B") == []
    finally:
        links._providers.pop("test.thing")


@pytest.mark.django_db
def test_user_factory_keeps_a_ready_password_hash_and_hashes_a_plain_password():
    ready = make_password("Bench-Passwort-2026")
    bulk = UserFactory.build(email="bulk@example.com", password=ready)
    assert bulk.password == ready
    plain = UserFactory(email="plain@example.com", password="Plain-Passwort-2026")
    assert plain.password != "Plain-Passwort-2026" and plain.check_password("Plain-Passwort-2026")
