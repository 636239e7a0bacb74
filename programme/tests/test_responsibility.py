import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from programme.choices import Region
from programme.models import FundingPhase, Responsibility
from programme.responsibility import partner_for_place
from programme.tests.factories import FundingPhaseFactory, PartnerOrganisationFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    lead = PartnerOrganisationFactory(short_name="WF DO", is_lead=True)
    bochum = ResponsibilityFactory(region=Region.BOCHUM, partner__short_name="WEG BO").partner
    herne = ResponsibilityFactory(region="", city="Herne", partner=bochum).partner
    return {"lead": lead, "bochum": bochum, "herne": herne}


def test_a_region_row_names_the_partner_of_its_places(partners):
    assert partner_for_place(city="Bochum-Wattenscheid", region=Region.BOCHUM) == partners["bochum"]


def test_a_city_row_wins_over_the_region_and_ignores_case_and_spaces(partners):
    hagen = ResponsibilityFactory(region=Region.HAGEN, partner__short_name="HAGENagentur").partner
    assert partner_for_place(city="Hagen", region=Region.HAGEN) == hagen
    ResponsibilityFactory(region="", city="Hagen", partner=partners["lead"])
    assert partner_for_place(city="  hagen ", region=Region.HAGEN) == partners["lead"]


def test_places_the_table_does_not_name_go_to_the_lead_partner(partners):
    assert partner_for_place(city="Schwerte", region=Region.OTHER) == partners["lead"]
    assert partner_for_place(city="Castrop-Rauxel", region="") == partners["lead"]
    assert partner_for_place(city="Herne", region=Region.OTHER) == partners["herne"]


def test_without_a_lead_partner_an_unnamed_place_has_nobody():
    assert partner_for_place(city="Schwerte", region=Region.OTHER) is None


def test_a_row_names_a_city_or_a_region_never_both_or_neither(partners):
    for city, region in [("Herne", Region.BOCHUM), ("", "")]:
        with pytest.raises(ValidationError):
            Responsibility(city=city, region=region, partner=partners["lead"]).full_clean()


def test_a_region_or_a_city_has_one_row(partners):
    with pytest.raises(IntegrityError):
        Responsibility.objects.create(city="HERNE", partner=partners["lead"])


def test_only_one_lead_partner(partners):
    with pytest.raises(IntegrityError):
        PartnerOrganisationFactory(short_name="Zweite Leitung", is_lead=True)


def test_the_running_phase_is_the_latest_to_start_on_that_day():
    import datetime

    first = FundingPhaseFactory(start=datetime.date(2019, 9, 1), end=datetime.date(2022, 8, 31))
    second = FundingPhaseFactory(start=datetime.date(2022, 6, 1), end=datetime.date(2025, 5, 31))
    assert FundingPhase.objects.running(today=datetime.date(2020, 1, 1)) == first
    assert FundingPhase.objects.running(today=datetime.date(2022, 7, 1)) == second
    assert FundingPhase.objects.running(today=datetime.date(2019, 8, 31)) is None
