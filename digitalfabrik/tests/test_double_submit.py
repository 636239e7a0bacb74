"""The same form sent twice at the same moment (double click, two tabs) does its work once.

Two threads, each with its own PostgreSQL connection, post at once. The work of the first request
is slowed down inside its transaction, so the second one really arrives while the first is still
open: it waits for the first one's commit and then lands on the first one's result.
"""

import functools
import re
import threading
import time
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from coaching import services as coaching_services
from coaching.models import Case
from companies import services as company_services
from companies.models import Company, Invitation, Membership
from companies.tests.test_forms import form_data
from digitalfabrik.models import SubmittedForm
from innoscheck.models import Application
from innoscheck.workflow import VOUCHER
from programme.tests.factories import FundingPhaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _slowed(function, seconds=0.5):
    @functools.wraps(function)
    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(seconds)
        return result

    return slow


def _post_at_once(user, url, payloads):
    """POST each payload from its own thread and connection at the same moment; the responses."""
    barrier = threading.Barrier(len(payloads))
    responses = [None] * len(payloads)
    errors = []

    def post(index, data):
        try:
            client = Client(raise_request_exception=True)
            client.force_login(user)
            barrier.wait(timeout=10)
            responses[index] = client.post(url, data)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, data)) for i, data in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def _same_result(responses):
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    return responses[0]["Location"]


def test_a_coaching_request_sent_twice_at_once_is_one_case(world, monkeypatch):
    monkeypatch.setattr(coaching_services, "case_request", _slowed(coaching_services.case_request))
    data = {
        "company": world.company_a.pk,
        "topic": "ai_data",
        "description": "Vorausschauende Wartung",
        "preferred_form": "online",
        "submission_token": str(uuid.uuid4()),
    }

    responses = _post_at_once(world.users["member_a"], reverse("coaching:request_create"), [data, data])

    case = Case.objects.get()
    assert _same_result(responses) == reverse("coaching:case_detail", args=[case.pk])
    assert SubmittedForm.objects.count() == 1


def test_an_invitation_sent_twice_at_once_is_one_invitation_and_one_mail(world, monkeypatch):
    monkeypatch.setattr(company_services, "invitation_create", _slowed(company_services.invitation_create))
    data = {"email": "kollegin@example.com", "submission_token": str(uuid.uuid4())}

    responses = _post_at_once(
        world.users["member_a"], reverse("companies:invite", args=[world.company_a.pk]), [data, data]
    )

    assert _same_result(responses) == reverse("companies:detail", args=[world.company_a.pk])
    assert Invitation.objects.filter(email="kollegin@example.com").count() == 1
    assert [message.to for message in mail.outbox] == [["kollegin@example.com"]]


def test_a_company_registered_twice_at_once_is_one_company(world, monkeypatch):
    monkeypatch.setattr(company_services, "company_create", _slowed(company_services.company_create))
    data = form_data()

    responses = _post_at_once(world.users["member_a"], reverse("companies:create"), [data, data])

    company = Company.objects.get(name=data["name"])
    assert _same_result(responses) == reverse("companies:detail", args=[company.pk])
    assert Membership.objects.filter(company=company).count() == 1


def test_a_company_registered_from_two_forms_at_once_is_one_company_and_an_error(world, monkeypatch):
    monkeypatch.setattr(company_services, "company_create", _slowed(company_services.company_create))
    # Two tabs, each with its own form: the unique name and postcode decide, no 500.
    first, second = form_data(), form_data()

    responses = _post_at_once(world.users["member_a"], reverse("companies:create"), [first, second])

    assert sorted(response.status_code for response in responses) == [200, 302]
    assert Company.objects.filter(name=first["name"]).count() == 1
    refused = next(response for response in responses if response.status_code == 200)
    assert refused.context["form"].non_field_errors()


def test_a_new_application_sent_twice_at_once_is_one_draft(world, monkeypatch):
    FundingPhaseFactory()
    monkeypatch.setattr(VOUCHER, "created", _slowed(VOUCHER.created))
    data = {"company": world.company_a.pk, "client_token": str(uuid.uuid4())}

    responses = _post_at_once(world.users["member_a"], reverse("innoscheck:create"), [data, data])

    application = Application.objects.get()
    assert _same_result(responses) == reverse("innoscheck:edit", kwargs={"pk": application.pk, "step": "project"})


def test_a_form_sent_again_later_lands_on_the_first_result(client, world):
    client.force_login(world.users["member_a"])
    data = {"email": "kollege@example.com", "submission_token": str(uuid.uuid4())}
    url = reverse("companies:invite", args=[world.company_a.pk])

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Invitation.objects.filter(email="kollege@example.com").count() == 1


def test_another_users_token_is_refused(client, world):
    data = {"email": "kollege@example.com", "submission_token": str(uuid.uuid4())}
    client.force_login(world.users["member_a"])
    client.post(reverse("companies:invite", args=[world.company_a.pk]), data)
    client.force_login(world.users["member_b"])

    response = client.post(reverse("companies:invite", args=[world.company_b.pk]), data)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("companies:create", None), ("coaching:request_create", None), ("companies:invite", "company_a")],
)
def test_each_form_carries_a_fresh_one_time_token(client, world, name, kwargs):
    client.force_login(world.users["member_a"])
    url = reverse(name, args=[world.company_a.pk] if kwargs else None)
    tokens = [
        re.search(r'name="submission_token" value="([0-9a-f-]{36})"', client.get(url).content.decode()).group(1)
        for _ in range(2)
    ]
    assert tokens[0] != tokens[1]
