"""A company's figures are stored only through companies.services: the SME class follows them and the
history records who changed them, whichever way they were entered (portal, admin, demo)."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from companies import services
from companies.models import Company
from companies.tests.factories import CompanyFactory
from programme.choices import SizeClass

pytestmark = pytest.mark.django_db

FIGURES = {"staff_headcount", "annual_turnover", "balance_sheet_total", "size_class", "founding_date"}
THE_WRITER = Path("companies/services.py")
NOT_PRODUCTION = {"tests", "migrations", "bench", ".venv", "node_modules", "var"}


def _figure_writes(path: Path) -> list[str]:
    """``x.<figure> = ...``, ``.update(<figure>=...)``, ``.create(<figure>=...)`` and ``Company(<figure>=...)``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        )
        for target in targets:
            for item in ast.walk(target):
                if isinstance(item, ast.Attribute) and item.attr in FIGURES:
                    found.append(f"{path}:{node.lineno} {ast.unparse(item)} =")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"update", "create", "get_or_create", "update_or_create", "Company", "bulk_update"} and any(
                keyword.arg in FIGURES for keyword in node.keywords
            ):
                found.append(f"{path}:{node.lineno} {name}(...)")
    return found


def test_no_module_but_the_service_writes_company_figures():
    base = Path(settings.BASE_DIR)
    modules = [
        path.relative_to(base) for path in base.rglob("*.py") if not NOT_PRODUCTION & set(path.relative_to(base).parts)
    ]
    writes = [write for module in modules if module != THE_WRITER for write in _figure_writes(base / module)]
    assert writes == []
    assert _figure_writes(base / THE_WRITER), "the scan must see the service's own writes"


def test_the_admin_saves_through_the_service(client, world):
    company = CompanyFactory(staff_headcount=Decimal("5"), annual_turnover=Decimal("100000"))
    assert company.size_class == SizeClass.MICRO
    admin = world.users["admin"]
    client.force_login(admin)
    url = reverse("admin:companies_company_change", args=[company.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {
        "staff_headcount": "120",
        "annual_turnover": "30000000",
        "founding_date": company.founding_date.isoformat(),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.size_class == SizeClass.MEDIUM
    latest = company.history.latest()
    assert latest.history_user == admin and latest.size_class == SizeClass.MEDIUM


def test_companies_are_not_added_in_the_admin(client, world):
    client.force_login(world.users["admin"])
    assert client.get(reverse("admin:companies_company_add")).status_code == 403


def test_the_portal_form_recomputes_the_class(client, world):
    company = world.company_a
    client.force_login(world.users["member_a"])
    url = reverse("companies:edit", args=[company.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {
        "staff_headcount": "300",
        "annual_turnover": "60.000.000,00",
        "balance_sheet_total": "50.000.000,00",
        "founding_date": "2001-05-04",
        "linked_enterprises_included": "on",
    }
    assert client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert company.size_class == SizeClass.NOT_SME
    assert company.history.latest().history_user == world.users["member_a"]


def test_the_service_keeps_class_and_history():
    company = CompanyFactory(staff_headcount=Decimal("5"), annual_turnover=Decimal("100000"))
    before = company.history.count()
    services.company_update(
        company=company, by=None, **services.company_profile(company) | {"staff_headcount": Decimal("49")}
    )
    company = Company.objects.get(pk=company.pk)
    assert company.size_class == SizeClass.SMALL
    assert company.history.count() == before + 1


def test_an_unconfirmed_founding_date_shows_as_missing_until_the_company_saves_the_day(client, world):
    import datetime

    company = world.company_a
    Company.objects.filter(pk=company.pk).update(founding_date=datetime.date(1998, 1, 1), founding_date_confirmed=False)
    client.force_login(world.users["member_a"])
    page = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "missing – only the year 1998 is known" in page.content.decode()
    form = client.get(reverse("companies:edit", args=[company.pk])).context["form"]
    assert form["founding_date"].value() is None
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"founding_date": "1998-07-15", "linked_enterprises_included": "on"}
    for name in ("staff_headcount", "annual_turnover", "balance_sheet_total"):
        data[name] = str(getattr(company, name)).replace(".", ",")
    assert client.post(reverse("companies:edit", args=[company.pk]), data).status_code == 302
    company.refresh_from_db()
    assert (company.founding_date, company.founding_date_confirmed) == (datetime.date(1998, 7, 15), True)
