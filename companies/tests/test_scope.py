"""The one scope rule: which companies (and so cases and applications) staff look after."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import AdminFactory, CoachFactory, FunderFactory, StaffFactory
from companies import services
from companies.models import Company
from companies.scope import in_scope, scope_q
from companies.tests.factories import CompanyFactory
from programme.choices import Region
from programme.tests.factories import PartnerOrganisationFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    lead = PartnerOrganisationFactory(short_name="WF DO", is_lead=True)
    ResponsibilityFactory(region=Region.DORTMUND, partner=lead)
    weg = ResponsibilityFactory(region=Region.BOCHUM, partner__short_name="WEG BO").partner
    chamber = PartnerOrganisationFactory(short_name="IHK MR", kind="chamber", city=Region.BOCHUM)
    companies = {
        "dortmund": CompanyFactory(region=Region.DORTMUND, city="Dortmund"),
        "bochum": CompanyFactory(region=Region.BOCHUM, city="Bochum"),
        "schwerte": CompanyFactory(region=Region.OTHER, city="Schwerte"),
    }
    return {"lead": lead, "weg": weg, "chamber": chamber, **companies}


def _seen(user) -> set[int]:
    return set(Company.objects.filter(scope_q(user)).values_list("pk", flat=True))


def test_each_company_gets_the_partner_of_its_place(places):
    assert places["dortmund"].responsible_partner == places["lead"]
    assert places["bochum"].responsible_partner == places["weg"]
    assert places["schwerte"].responsible_partner == places["lead"]


def test_lead_partner_staff_and_admins_look_after_every_company(places):
    everyone = {places[name].pk for name in ("dortmund", "bochum", "schwerte")}
    for user in (StaffFactory(partner=places["lead"]), AdminFactory()):
        assert _seen(user) == everyone
        assert all(in_scope(user, places[name]) for name in ("dortmund", "bochum", "schwerte"))


def test_other_staff_look_after_their_partners_companies_only(places):
    staff = StaffFactory(partner=places["weg"])
    assert _seen(staff) == {places["bochum"].pk}
    assert in_scope(staff, places["bochum"])
    assert not in_scope(staff, places["dortmund"])
    assert not in_scope(staff, places["schwerte"])


def test_a_chamber_sees_what_is_handed_over_to_it(places):
    chamber_staff = StaffFactory(partner=places["chamber"])
    assert _seen(chamber_staff) == set()
    services.company_hand_over(
        company=places["schwerte"],
        to_partner=places["chamber"],
        by=StaffFactory(partner=places["lead"]),
        reason="Handwerk",
    )
    places["schwerte"].refresh_from_db()
    assert _seen(chamber_staff) == {places["schwerte"].pk}
    assert in_scope(chamber_staff, places["schwerte"])


def test_nobody_else_gets_a_company_through_the_scope_rule(places):
    for user in (CoachFactory(), FunderFactory(), StaffFactory(partner=None)):
        assert _seen(user) == set()
        assert not in_scope(user, places["dortmund"])


def test_a_handover_is_recorded_and_survives_a_change_of_address(places):
    lead_staff = StaffFactory(partner=places["lead"])
    company = places["dortmund"]
    handover = services.company_hand_over(
        company=company, to_partner=places["weg"], by=lead_staff, reason="Werk in Bochum"
    )
    assert (handover.from_partner, handover.by, handover.reason) == (places["lead"], lead_staff, "Werk in Bochum")
    company.refresh_from_db()
    services.company_update(
        company=company, by=lead_staff, **services.company_profile(company) | {"city": "Hagen", "region": Region.HAGEN}
    )
    company.refresh_from_db()
    assert company.responsible_partner == places["weg"]
    assert company.history.latest().responsible_partner_id == places["weg"].pk


def test_a_change_of_address_moves_a_company_that_was_not_handed_over(places):
    company = places["schwerte"]
    services.company_update(
        company=company, by=None, **services.company_profile(company) | {"city": "Bochum", "region": Region.BOCHUM}
    )
    company.refresh_from_db()
    assert company.responsible_partner == places["weg"]


def test_a_handover_needs_a_reason_and_another_partner(places):
    staff = StaffFactory(partner=places["lead"])
    with pytest.raises(ValidationError):
        services.company_hand_over(company=places["dortmund"], to_partner=places["chamber"], by=staff, reason=" ")
    with pytest.raises(ValidationError):
        services.company_hand_over(company=places["dortmund"], to_partner=places["lead"], by=staff, reason="x")
    assert not places["dortmund"].handovers.exists()


def test_an_edit_of_the_table_in_the_admin_moves_the_companies_of_the_place(places, client):
    """The table is data administrators edit: a new row for Schwerte gives its companies that partner
    (not one handed over by staff); deleting the row gives them back to the lead partner."""
    from django.urls import reverse

    from programme.models import Responsibility

    lead_staff = StaffFactory(partner=places["lead"])
    handed = CompanyFactory(region=Region.OTHER, city="Schwerte")
    services.company_hand_over(company=handed, to_partner=places["chamber"], by=lead_staff, reason="Handwerk")
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:programme_responsibility_add"), {"city": "Schwerte", "region": "", "partner": places["weg"].pk}
    )
    assert response.status_code == 302
    places["schwerte"].refresh_from_db()
    handed.refresh_from_db()
    assert places["schwerte"].responsible_partner == places["weg"]
    assert handed.responsible_partner == places["chamber"]
    assert in_scope(StaffFactory(partner=places["weg"]), places["schwerte"])

    row = Responsibility.objects.get(city="Schwerte")
    response = client.post(reverse("admin:programme_responsibility_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 302
    places["schwerte"].refresh_from_db()
    assert places["schwerte"].responsible_partner == places["lead"]


def test_a_new_lead_partner_takes_the_places_the_table_does_not_name(places, client):
    from django.urls import reverse

    client.force_login(AdminFactory())
    old_lead = places["lead"]
    old_lead.is_lead = False
    old_lead.save()
    response = client.post(
        reverse("admin:programme_partnerorganisation_change", args=[places["weg"].pk]),
        {"name": places["weg"].name, "short_name": "WEG BO", "kind": "wf", "city": Region.BOCHUM, "is_lead": "on"},
    )
    assert response.status_code == 302
    places["schwerte"].refresh_from_db()
    places["dortmund"].refresh_from_db()
    assert places["schwerte"].responsible_partner == places["weg"]
    assert places["dortmund"].responsible_partner == old_lead  # Dortmund's own row names it
