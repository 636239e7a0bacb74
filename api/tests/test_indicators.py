"""Indicators over the API: the figures of the dashboard and of the PDF report, with ETags."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import FunderFactory, StaffFactory
from api.scopes import Scope
from api.tests.factories import bearer, token_for
from coaching.choices import SessionStatus
from coaching.models import EventRegistration, SessionParticipant
from coaching.tests.factories import CaseFactory, EventFactory, SessionFactory
from companies.tests.factories import CompanyFactory
from innoscheck.workflow import Status
from programme.tests.factories import FundingPhaseFactory
from reporting import facts, selectors, services
from reporting.indicators import Range
from reporting.models import PeriodPreset, ReportKind, ReportStatus
from reporting.periods import period_for
from reporting.tests.factories import voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def this_quarter():
    today = timezone.localdate()
    part = (today.month - 1) // 3 + 1
    period = period_for(preset=PeriodPreset.QUARTER, phase=None, year=today.year, part=part)
    return today.year, part, Range(period.start, period.end)


@pytest.fixture
def phase(this_quarter):
    """Support in this quarter (a voucher, a session, an event) and before it (a voucher last year)."""
    today = timezone.localdate()
    phase = FundingPhaseFactory(
        start=datetime.date(today.year - 1, 1, 1),
        end=datetime.date(today.year + 1, 12, 31),
        voucher_budget=Decimal("100000.00"),
    )
    _, _, period = this_quarter
    # Early in the quarter (but not in the future): every support counts in it.
    moment = max(
        timezone.now() - datetime.timedelta(hours=1),
        timezone.make_aware(datetime.datetime.combine(period.start, datetime.time(9))),
    )
    alpha = CompanyFactory(name="Alpha Frästechnik GmbH", founding_date=today - datetime.timedelta(days=400))
    beta = CompanyFactory(name="Beta Metallbau GmbH", city="Bochum")
    gamma = CompanyFactory(name="Gamma Kunststoff GmbH", city="Hagen")
    voucher(company=alpha, phase=phase, status=Status.APPROVED, submitted=moment, decided=moment)
    voucher(
        company=beta,
        phase=phase,
        status=Status.APPROVED,
        submitted=moment - datetime.timedelta(days=400),
        decided=moment - datetime.timedelta(days=390),
        amount=Decimal("7500.00"),
    )
    session = SessionFactory(case=CaseFactory(company=beta), status=SessionStatus.HELD, starts_at=moment)
    SessionParticipant.objects.create(session=session, name="Paula Eins", email="p1@beta.example")
    event = EventFactory(starts_at=moment)
    EventRegistration.objects.create(event=event, name="Gerd", email="g@gamma.example", company=gamma, attended=True)
    # Made by factories, not through the services: the maintained support facts are built as a rebuild does.
    facts.rebuild()
    return phase


def _pdf_text(report) -> str:
    with report.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    # Long labels wrap in the table's cells: compare word by word.
    return " ".join(text.split())


def test_a_funder_gets_exactly_the_figures_of_the_pdf_report_of_this_quarter(
    client, phase, this_quarter, django_capture_on_commit_callbacks
):
    year, part, period = this_quarter
    funder = FunderFactory()
    secret = token_for(funder, scopes=[Scope.INDICATORS_READ])
    response = client.get(
        "/api/v1/indicators/",
        {"phase": phase.pk, "preset": "quarter", "year": year, "part": part},
        HTTP_ACCEPT_LANGUAGE="de",
        **bearer(secret),
    )
    assert response.status_code == 200, response.content
    figures = response.json()
    assert figures["period"] == {"start": period.start.isoformat(), "end": period.end.isoformat()}

    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            by=funder,
            kind=ReportKind.INDICATORS,
            phase=phase,
            period_start=period.start,
            period_end=period.end,
            preset=PeriodPreset.QUARTER,
            language="de",
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.failure_reason

    # What the report's PDF shows, row by row: label, value in the period, cumulative value.
    text = _pdf_text(report)
    rows = {row["key"]: row for row in figures["indicators"]}
    assert rows["supported"]["period"] == 3 and rows["supported"]["cumulative"] == 3
    assert rows["grants"]["period"] == 1 and rows["grants"]["cumulative"] == 2
    assert rows["non_financial"]["period"] == 2
    assert rows["supported"]["label"] == "Geförderte Unternehmen"  # the request's language, as the report's
    for row in figures["indicators"]:
        assert " ".join(f"{row['label']} {row['period']} {row['cumulative']}".split()) in text, row
        assert row["code_2021"] in text and row["code_2014"] in text
    # And exactly the figures the report was rendered from.
    data = selectors.report_data(report=report)
    assert [(r.key, r.code_2021, r.code_2014, r.period, r.cumulative) for r in data["indicators"]] == [
        (r["key"], r["code_2021"], r["code_2014"], r["period"], r["cumulative"]) for r in figures["indicators"]
    ]
    assert figures["coaching"] == data["coaching"]
    assert figures["coaching_cumulative"] == data["coaching_cumulative"]
    assert {key: str(value) for key, value in data["vouchers"].items()} == {
        key: str(value) for key, value in figures["vouchers"].items()
    }


def test_indicators_answer_304_while_the_figures_are_unchanged(client, phase, this_quarter):
    year, part, _ = this_quarter
    secret = token_for(StaffFactory(), scopes=[Scope.INDICATORS_READ])
    params = {"phase": phase.pk, "preset": "quarter", "year": year, "part": part}
    first = client.get("/api/v1/indicators/", params, **bearer(secret))
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/api/v1/indicators/", params, HTTP_IF_NONE_MATCH=etag, **bearer(secret))
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    # Compared weakly, as RFC 9110 asks for If-None-Match: a compressing proxy hands the client W/"…".
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        assert client.get("/api/v1/indicators/", params, HTTP_IF_NONE_MATCH=header, **bearer(secret)).status_code == 304
    assert client.get("/api/v1/indicators/", params, HTTP_IF_NONE_MATCH='"other"', **bearer(secret)).status_code == 200
    # A new approval changes the figures, so the old ETag no longer matches.
    voucher(
        company=CompanyFactory(name="Delta GmbH"),
        phase=phase,
        status=Status.APPROVED,
        submitted=timezone.now() - datetime.timedelta(minutes=5),
        decided=timezone.now() - datetime.timedelta(minutes=1),
    )
    changed = client.get("/api/v1/indicators/", params, HTTP_IF_NONE_MATCH=etag, **bearer(secret))
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_an_invalid_period_is_a_400_problem_with_the_form_errors(client, phase):
    secret = token_for(StaffFactory(), scopes=[Scope.INDICATORS_READ])
    response = client.get("/api/v1/indicators/", {"phase": phase.pk, "preset": "quarter"}, **bearer(secret))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "year" in response.json()["errors"]
