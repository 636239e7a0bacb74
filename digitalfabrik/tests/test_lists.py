"""Every list is paginated and filterable: the page's entries, the filter form, links that keep the filter."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.tests.factories import CaseFactory
from companies.models import Company
from companies.tests.factories import CompanyFactory
from digitalfabrik.paging import PAGE_SIZE
from innoscheck.tests.factories import ExpertFactory
from programme.choices import Region, Topic

pytestmark = pytest.mark.django_db

# (role, list) for every list page but the caseload, the review queue and the events (tested with their apps).
LISTS = [
    ("member_a", "companies:list"),
    ("coach", "companies:list"),
    ("staff", "companies:list"),
    ("staff_lead", "companies:list"),
    ("member_a", "coaching:requests"),
    ("coach", "coaching:queue"),
    ("staff", "coaching:queue"),
    ("coach", "coaching:project_list"),
    ("member_a", "innoscheck:list"),
    ("staff", "innoscheck:experts"),
    ("funder", "reporting:list"),
]


@pytest.mark.parametrize(("role", "name"), LISTS, ids=[f"{name} {role}" for role, name in LISTS])
def test_every_list_has_a_filter_form_and_a_page(client, world, role, name):
    client.force_login(world.users[role])
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["filter"].form.fields
    assert response.context["page"].number == 1
    assert response.context["page"].paginator.per_page == PAGE_SIZE
    assert 'role="search"' in response.content.decode()
    # Nonsense in the query is ignored, not an error; a page beyond the last shows the last.
    assert client.get(reverse(name), {"page": "999", "status": "nonsense", "topic": "x"}).status_code == 200


# The lists without a filter form of their own here, paginated the same way.
PAGED = [
    ("coach", "coaching:caseload"),
    ("coach", "coaching:upcoming_sessions"),
    ("member_a", "coaching:event_list"),
    ("staff", "innoscheck:queue"),
    ("coach", "notifications:list"),
]


@pytest.mark.parametrize(("role", "name"), PAGED, ids=[f"{name} {role}" for role, name in PAGED])
def test_every_list_shows_the_same_number_of_entries_per_page(client, world, role, name):
    client.force_login(world.users[role])
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["page"].paginator.per_page == PAGE_SIZE


def test_the_company_list_of_the_lead_partners_staff_is_paginated_and_keeps_the_filter(client, world):
    for number in range(PAGE_SIZE + 5):
        CompanyFactory(name=f"Hagener Werk {number:02d}", region=Region.HAGEN, city="Hagen")
    client.force_login(world.users["staff_lead"])

    first = client.get(reverse("companies:list"), {"region": Region.HAGEN})
    second = client.get(reverse("companies:list"), {"region": Region.HAGEN, "page": 2})

    hagen = Company.objects.filter(region=Region.HAGEN).count()
    assert first.context["page"].paginator.count == hagen
    assert len(first.context["page"]) == PAGE_SIZE and len(second.context["page"]) == hagen - PAGE_SIZE
    assert "?region=hagen&amp;page=2" in first.content.decode()
    assert {company.region for company in second.context["page"]} == {Region.HAGEN}


def test_the_company_list_filters_by_name_or_city_and_responsible_partner(client, world):
    client.force_login(world.users["staff_lead"])
    by_name = client.get(reverse("companies:list"), {"q": "firma b"}).context["page"]
    assert [company.name for company in by_name] == ["Firma B GmbH"]
    partner = world.company_a.responsible_partner
    by_partner = client.get(reverse("companies:list"), {"responsible_partner": partner.pk}).context["page"]
    assert [company.name for company in by_partner] == ["Firma A GmbH"]


def test_a_company_filters_its_requests_by_state(client, world):
    open_case = CaseFactory(company=world.company_a, requested_by=world.users["member_a"])
    closed = CaseFactory(
        company=world.company_a,
        requested_by=world.users["member_a"],
        status="closed",
        outcome="implemented",
        closed_at=timezone.now(),
    )
    client.force_login(world.users["member_a"])

    def shown(**query):
        return {case.pk for case in client.get(reverse("coaching:requests"), query).context["page"]}

    assert shown() == {open_case.pk, closed.pk}
    assert shown(status="open") == {open_case.pk}
    assert shown(status="closed") == {closed.pk}


def test_the_expert_register_filters_by_topic(client, world):
    security = ExpertFactory(topics=[Topic.IT_SECURITY])
    ExpertFactory(topics=[Topic.AI_DATA])
    client.force_login(world.users["staff"])
    page = client.get(reverse("innoscheck:experts"), {"topic": Topic.IT_SECURITY}).context["page"]
    assert list(page) == [security]


def test_the_expert_register_searches_name_and_firm(client, world):
    by_name = ExpertFactory(name="Dr. Anna Kruse", firm="Datenwerk GmbH")
    by_firm = ExpertFactory(name="Jan Peters", firm="Kruse & Partner")
    ExpertFactory(name="Lea Sommer", firm="Sommer IT")
    client.force_login(world.users["staff"])
    page = client.get(reverse("innoscheck:experts"), {"q": "kruse"}).context["page"]
    assert {expert.pk for expert in page} == {by_name.pk, by_firm.pk}
