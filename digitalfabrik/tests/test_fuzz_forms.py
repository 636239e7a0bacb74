"""Hostile input for every form and POST endpoint: no 5xx, nothing stored that should not be, output escaped.

One line per endpoint. Example counts are small for CI (FUZZ_EXAMPLES, default 20 per endpoint);
FUZZ_RANDOM=1 explores new examples instead of the fixed derandomized ones.
"""

import uuid

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.test_authorization import MODULES

from .fuzzing import Endpoint, fuzz

_A = lambda world: {"pk": world.company_a.pk}  # noqa: E731
_OBJ = lambda name: lambda world: {"pk": world.objects[name].pk}  # noqa: E731


def _company(world) -> dict:
    return {
        "name": "Neue Fräserei GmbH",
        "legal_form": "gmbh",
        "founding_date": "1999-06-30",
        "wz_section": "C",
        "wz_code": "25.62",
        "website": "https://fraeserei.example",
        "street": "Hafenweg 3",
        "postcode": "44147",
        "city": "Dortmund",
        "region": "dortmund",
        "chamber": "ihk_do",
        "staff_headcount": "12,5",
        "annual_turnover": "1.500.000,00",
        "balance_sheet_total": "900.000",
        "linked_enterprises_included": "on",
        "contact_name": "Erika Mustermann",
        "contact_email": "erika@fraeserei.example",
        "contact_phone": "+49 231 1234",
        "submission_token": str(uuid.uuid4()),
    }


_PASSWORD = "Ein-langes-Passwort-2026"

ENDPOINTS = [
    Endpoint("companies:create", "member_a", _company, models=("companies.Company", "companies.Membership")),
    Endpoint(
        "companies:edit",
        "member_a",
        _company,
        kwargs=_A,
        models=("companies.Company",),
        show=lambda world: reverse("companies:list"),
    ),
    Endpoint(
        "companies:invite",
        "member_a",
        lambda world: {"email": "kollegin@example.com", "submission_token": str(uuid.uuid4())},
        kwargs=_A,
        models=("companies.Invitation",),
    ),
    Endpoint(
        "companies:invitation_accept",
        "member_b",
        lambda world: {"confirm": "1"},
        kwargs=lambda world: {"token": world.company_a.invitations.create(email=world.users["member_b"].email).token},
        models=("companies.Membership",),
    ),
    Endpoint("companies:list", "staff", lambda world: {"q": "Firma"}, method="get", label="search", accepts=False),
    Endpoint("set_language", "member_a", lambda world: {"language": "en", "next": "/companies/"}),
    Endpoint("set_language", "anonymous", lambda world: {"language": "de", "next": "/"}),
    Endpoint(
        "account_signup",
        "anonymous",
        lambda world: {"email": "neu@example.com", "password1": _PASSWORD, "password2": _PASSWORD},
        models=("accounts.User", "account.EmailAddress"),
    ),
    Endpoint(
        "account_login",
        "anonymous",
        lambda world: {"login": world.users["member_a"].email, "password": TEST_PASSWORD},
        models=("accounts.User",),
    ),
    # The right password and the confirmation erase the account (rolled back after each example).
    Endpoint(
        "privacy_erase",
        "member_a",
        lambda world: {"password": TEST_PASSWORD, "confirm": "on"},
        accepts=False,
    ),
    Endpoint(
        "coaching:request_create",
        "member_a",
        lambda world: {
            "company": str(world.company_a.pk),
            "topic": "ai_data",
            "description": "Predictive maintenance",
            "preferred_form": "online",
            "submission_token": str(uuid.uuid4()),
        },
        models=("coaching.Case",),
    ),
    Endpoint(
        "coaching:case_action",
        "coach",
        lambda world: {"note": "Los geht's"},
        kwargs=lambda world: {"pk": world.objects["case_a"].pk, "action": "work"},
        models=("coaching.CaseStatusChange",),
    ),
    Endpoint(
        "coaching:case_add_coach",
        "coach",
        lambda world: {"coach": str(world.objects["other_coach"].pk)},
        kwargs=_OBJ("case_a"),
    ),
    Endpoint(
        "coaching:event_attendance",
        "coach",
        lambda world: {
            f"attendance-{world.objects['event'].registrations.create(name='Eva', email='e@x.de').pk}": "no"
        },
        kwargs=_OBJ("event"),
    ),
    Endpoint(
        "coaching:project_meeting_add",
        "coach",
        lambda world: {"starts_at": "2030-05-04T10:00", "place": "Dortmund", "notes": "Kick-off"},
        kwargs=_OBJ("project"),
        models=("coaching.ProjectMeeting",),
    ),
    Endpoint(
        "innoscheck:edit",
        "member_a",
        lambda world: {"topic": "it_security", "title": "Neu", "description": "Beschreibung", "goals": "Ziele"},
        kwargs=lambda world: {"pk": world.objects["draft_a"].pk, "step": "project"},
    ),
    Endpoint(
        "innoscheck:action",
        "staff",
        lambda world: {"amount": "5.000,00", "note": "Passt."},
        kwargs=lambda world: {"pk": world.objects["review_a"].pk, "action": "approve"},
        label="approve",
    ),
    Endpoint(
        "account_reset_password",
        "anonymous",
        lambda world: {"email": world.users["member_a"].email},
        models=("accounts.User",),
    ),
]


@pytest.fixture
def fuzz_world(world):
    """The world of conftest.py plus every app's authorization objects (world.objects[...])."""
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(world)
    return world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.id for endpoint in ENDPOINTS])
def test_endpoint_survives_hostile_input(endpoint, client, fuzz_world):
    fuzz(endpoint, client, fuzz_world)


def test_stored_markup_is_shown_escaped(client, world):
    """The accept path end to end: markup in a company's name is stored as text and shown escaped."""
    client.force_login(world.users["member_a"])
    name = "<script>fuzzpwn()</script> & Söhne"
    response = client.post(reverse("companies:create"), {**_company(world), "name": name})
    assert response.status_code == 302
    for url in (response["Location"], reverse("companies:list")):
        page = client.get(url).content.decode()
        assert "&lt;script&gt;fuzzpwn()&lt;/script&gt; &amp; Söhne" in page
        assert "<script>fuzzpwn()" not in page
