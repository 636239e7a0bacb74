"""Hostile input for the voucher forms not covered by digitalfabrik/tests/test_fuzz_forms.py: no 5xx, nothing stored."""

import datetime

import pytest
from django.utils import timezone

from digitalfabrik.tests.fuzzing import Endpoint, fuzz

from . import authz
from .factories import PDF_BYTES

_FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def _step(step):
    return lambda world: {"pk": world.objects["draft_a"].pk, "step": step}


def _action(name, action):
    return lambda world: {"pk": world.objects[name].pk, "action": action}


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("angebot.pdf", PDF_BYTES, content_type="application/pdf")


ENDPOINTS = [
    Endpoint(
        "innoscheck:edit",
        "member_a",
        lambda world: {
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-description": "Analyse",
            "steps-0-start": _FUTURE,
            "steps-0-end": _FUTURE,
        },
        kwargs=_step("steps"),
        label="steps",
    ),
    Endpoint(
        "innoscheck:edit",
        "member_a",
        lambda world: {
            "new_expert_name": "Dr. Neu",
            "new_expert_firm": "Neu GmbH",
            "expert_days": "2,5",
            "daily_rate": "1.000",
        },
        kwargs=_step("expert"),
        models=("innoscheck.Expert",),
        label="expert",
    ),
    Endpoint(
        "innoscheck:edit",
        "member_a",
        lambda world: {
            "sme_confirmed": "on",
            "deminimis_declaration": "aids",
            "aids-TOTAL_FORMS": "1",
            "aids-INITIAL_FORMS": "0",
            "aids-0-granted_on": "2025-01-01",
            "aids-0-grantor": "Stadt Dortmund",
            "aids-0-amount": "12.345,67",
        },
        kwargs=_step("declarations"),
        models=("innoscheck.DeMinimisAid",),
        label="declarations",
    ),
    Endpoint(
        "innoscheck:edit",
        "member_a",
        lambda world: {"kind": "other", "file": _pdf()},
        kwargs=_step("attachments"),
        models=("innoscheck.Attachment",),
        label="attachments",
    ),
    Endpoint(
        "innoscheck:action",
        "staff",
        lambda world: {"message": "Bitte ergänzen"},
        kwargs=_action("review_a", "request_changes"),
        models=("innoscheck.ApplicationEvent",),
        label="request changes",
    ),
    Endpoint(
        "innoscheck:action",
        "staff",
        lambda world: {"reason": "Kein Bezug"},
        kwargs=_action("review_a", "reject"),
        models=("innoscheck.ApplicationEvent",),
        label="reject",
    ),
    Endpoint(
        "innoscheck:action",
        "staff",
        lambda world: {"amount": "4.000,00"},
        kwargs=_action("proof_a", "verify"),
        models=("innoscheck.ApplicationEvent",),
        label="verify",
    ),
    Endpoint(
        "innoscheck:action",
        "member_a",
        lambda world: {"actual_days": "4", "actual_amount": "4.000,00", "report": _pdf(), "invoice": _pdf()},
        kwargs=_action("approved_a", "submit_proof"),
        models=("innoscheck.ApplicationEvent", "innoscheck.Attachment"),
        label="proof",
    ),
    Endpoint(
        "innoscheck:expert_create",
        "staff",
        lambda world: {"name": "Dr. Register", "firm": "Ruhr IT", "topics": ["ai_data"], "daily_rate": "1.150,00"},
        models=("innoscheck.Expert",),
    ),
]


@pytest.fixture
def fuzz_world(world):
    authz.build(world)
    return world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.id for endpoint in ENDPOINTS])
def test_endpoint_survives_hostile_input(endpoint, client, fuzz_world):
    fuzz(endpoint, client, fuzz_world)
