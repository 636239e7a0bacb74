"""Voucher and certificate name the granting body and carry the EU and NRW funding line, in German and English."""

import importlib
import io
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ContentStream

from innoscheck.documents import render_certificate_pdf, render_voucher_pdf
from programme import demo
from programme.models import GrantingBody
from programme.tests.factories import GrantingBodyFactory

from .factories import approved_application

pytestmark = pytest.mark.django_db

EU_BLUE, EU_GOLD = (0.0, 0.2, 0.6), (1.0, 0.8, 0.0)  # #039 and #fc0
RENDERERS = {"voucher": render_voucher_pdf, "certificate": render_certificate_pdf}


def _pdf(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def _fill_colours(reader: PdfReader) -> list[tuple[float, ...]]:
    """The RGB fill colours the pages' drawing operations set, in order (WeasyPrint draws SVG inline)."""
    colours = []
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                colours.append(tuple(round(float(value), 2) for value in operands))
    return colours


def _has_eu_emblem(reader: PdfReader) -> bool:
    colours = _fill_colours(reader)
    return EU_BLUE in colours and colours.count(EU_GOLD) == 12


@pytest.fixture
def application():
    GrantingBodyFactory()
    return approved_application()


@pytest.mark.parametrize("document", ["voucher", "certificate"])
def test_german_document_names_the_granting_body_and_the_funding(application, document):
    text, reader = _pdf(RENDERERS[document](application, language="de"))
    assert "Bewilligende Stelle" in text
    assert "Wirtschaftsförderung Dortmund Grüne Straße 2–8 44147 Dortmund" in text
    assert "Kofinanziert von der Europäischen Union" in text
    assert "Gefördert durch das Land Nordrhein-Westfalen" in text
    assert _has_eu_emblem(reader)


@pytest.mark.parametrize("document", ["voucher", "certificate"])
def test_english_document_names_the_granting_body_and_the_funding(application, document):
    text, reader = _pdf(RENDERERS[document](application, language="en"))
    assert "Granting body" in text and "Bewilligende Stelle" not in text
    assert "Wirtschaftsförderung Dortmund Grüne Straße 2–8 44147 Dortmund" in text
    assert "Co-funded by the European Union" in text
    assert "Funded by the State of North Rhine-Westphalia" in text
    assert _has_eu_emblem(reader)


def test_documents_follow_what_the_administrator_entered(application, client, world):
    client.force_login(world.users["admin"])
    url = reverse("admin:programme_grantingbody_change", args=[GrantingBody.SINGLETON])
    form = {
        "programme_name": "In|Die RegionRuhr 4.0: Digitale Fabrik",
        "name": "Stadt Dortmund – Wirtschaftsförderung",
        "department": "Team Digitale Fabrik",
        "street": "Töllnerstraße 9–11",
        "postcode": "44135",
        "city": "Dortmund",
        "phone": "0231 50-0",
        "email": "digitalefabrik@example.org",
        "website": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content
    text, _reader = _pdf(render_voucher_pdf(application, language="de"))
    assert "Stadt Dortmund – Wirtschaftsförderung Team Digitale Fabrik Töllnerstraße 9–11 44135 Dortmund" in text
    assert "Grüne Straße" not in text


def test_the_granting_body_is_one_row_administrators_cannot_add_or_delete(client, world):
    GrantingBodyFactory()
    client.force_login(world.users["admin"])
    assert client.get(reverse("admin:programme_grantingbody_add")).status_code == 403
    delete = reverse("admin:programme_grantingbody_delete", args=[GrantingBody.SINGLETON])
    assert client.get(delete).status_code == 403
    assert client.get(reverse("admin:programme_grantingbody_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["staff", "staff_lead", "funder", "member_a"])
def test_only_administrators_edit_the_granting_body(client, world, role):
    GrantingBodyFactory()
    client.force_login(world.users[role])
    response = client.get(reverse("admin:programme_grantingbody_change", args=[GrantingBody.SINGLETON]))
    assert response.status_code in (302, 403)


def test_data_migration_and_demo_start_with_the_lead_partner():
    GrantingBody.objects.all().delete()
    migration = importlib.import_module("programme.migrations.0004_granting_body")
    migration.granting_body_from_lead_partner(apps, None)
    body = GrantingBody.current()
    assert (body.name, body.street, body.postcode, body.city) == (
        "Wirtschaftsförderung Dortmund",
        "Grüne Straße 2–8",
        "44147",
        "Dortmund",
    )
    GrantingBody.objects.all().delete()
    demo.seed()
    demo.seed()
    assert GrantingBody.objects.get().name == "Wirtschaftsförderung Dortmund"


def test_eu_emblem_is_twelve_gold_stars_on_blue():
    root = ET.parse(finders.find("programme/eu-emblem.svg")).getroot()  # noqa: S314 - our own file
    ns = {"svg": "http://www.w3.org/2000/svg"}
    rect = root.find("svg:rect", ns)
    stars = root.findall("svg:g/svg:polygon", ns)
    assert rect.get("fill") == "#039" and root.find("svg:g", ns).get("fill") == "#fc0"
    assert len(stars) == 12 and all(len(star.get("points").split()) == 10 for star in stars)
    assert root.get("viewBox") == "0 0 810 540"  # 3:2
