"""Steps nobody took (the hourly expiry) show "System" as their actor on every page that lists them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coaching.models import CaseStatusChange
from coaching.tests.factories import CaseFactory
from innoscheck import services
from innoscheck.models import ApplicationEvent
from innoscheck.workflow import Status

from .factories import approved_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired(world):
    application = approved_application(
        company=world.company_a, valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert services.vouchers_expire_due() == 1
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    assert ApplicationEvent.objects.get(application=application, action="expire").by is None
    return application


@pytest.mark.parametrize("role", ["member_a", "staff", "staff_lead", "admin"])
def test_expired_voucher_page_names_the_system(client, world, expired, role):
    client.force_login(world.users[role])
    with translation.override("en"):
        response = client.get(reverse("innoscheck:detail", args=[expired.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "System" in response.content.decode()


def test_case_history_names_the_system(client, world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    CaseStatusChange.objects.create(case=case, by=None, action="work", from_state="new", to_state="in_progress")
    client.force_login(world.users["coach"])
    response = client.get(reverse("coaching:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "System" in page
    assert "None" not in page


def test_admin_names_the_system(client, world, expired):
    client.force_login(world.users["admin"])
    response = client.get(reverse("admin:innoscheck_application_change", args=[expired.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    events = response.content.decode().split('id="events-group"')[1]
    assert "System" in events and '<td class="field-actor"><p>-</p></td>' not in events


def test_personal_data_export_names_the_system(world, expired):
    from accounts.privacy import personal_data

    with translation.override("en"):
        documents, _files = personal_data(user=world.users["member_a"])
    [voucher] = [row for row in documents["voucher_applications.json"] if row["id"] == expired.pk]
    expiry = next(row for row in voucher["audit_trail"] if row["to_state"] == Status.EXPIRED)
    assert expiry["by"] == "System"


def test_company_history_names_the_system(client, world):
    company = world.company_a
    company.history.update(history_user=None)
    client.force_login(world.users["member_a"])
    response = client.get(reverse("companies:history", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "· System" in " ".join(response.content.decode().split())
