import datetime
import os
import signal
import subprocess
from decimal import Decimal

import pytest

from coaching.choices import SessionStatus
from coaching.models import EventRegistration, ProjectMeeting, SessionParticipant
from coaching.tests.factories import CaseFactory, EventFactory, ProjectFactory, SessionFactory
from companies.tests.factories import CompanyFactory
from digitalfabrik.celery import app
from digitalfabrik.tests.servers import celery_worker_command, celery_worker_env, empty_broker
from innoscheck.workflow import Status
from programme.tests.factories import FundingPhaseFactory
from reporting import facts
from reporting.indicators import Range

from .factories import at, voucher

Q1 = Range(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
Q2 = Range(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


VISIBILITY_TIMEOUT = 4


@pytest.fixture
def start_worker(tmp_path, settings):
    """Start workers consuming the "pdf" queue; every worker still running is killed at the end."""
    workers = []
    empty_broker()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False

    def start(name: str) -> subprocess.Popen:
        env = celery_worker_env(MEDIA_ROOT=str(settings.MEDIA_ROOT), CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            celery_worker_command(
                "pdf",
                *("--concurrency", "1", "--max-tasks-per-child", "10", "-n", f"{name}@%h"),
                *("--without-gossip", "--without-mingle", "-l", "info"),
            ),
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append(process)
        return process

    yield start
    app.conf.task_always_eager = eager
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its PDFs in its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(db):
    """Hand-built records of one phase with known indicator values (see test_indicators)."""
    phase = FundingPhaseFactory(
        name="Digitale Fabrik 2025–2027",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 12, 31),
        total_budget=Decimal("200000.00"),
        voucher_budget=Decimal("100000.00"),
    )
    alpha = CompanyFactory(
        name="Alpha Frästechnik GmbH",
        founding_date=datetime.date(2023, 6, 1),
        staff_headcount=Decimal("5"),
        annual_turnover=Decimal("500000"),
        balance_sheet_total=Decimal("400000"),
    )
    beta = CompanyFactory(name="Beta Metallbau GmbH", city="Bochum")
    gamma = CompanyFactory(name="Gamma Kunststoff GmbH", city="Hagen")
    delta = CompanyFactory(name="Delta Elektro GmbH")
    epsilon = CompanyFactory(name="Epsilon Druck GmbH")
    zeta = CompanyFactory(name="Zeta Maschinenbau GmbH", city="Hagen")

    # Alpha: a held coaching session and an approved voucher in Q1 (counts once in RCO01).
    session = SessionFactory(case=CaseFactory(company=alpha), status=SessionStatus.HELD, starts_at=at(2026, 2, 10))
    SessionParticipant.objects.create(session=session, name="Paula Eins", email="p1@alpha.example")
    SessionParticipant.objects.create(session=session, name="Peter Zwei", email="p2@alpha.example")
    voucher(company=alpha, phase=phase, status=Status.APPROVED, submitted=at(2026, 2, 1), decided=at(2026, 2, 20))
    # Beta: approved in Q1, paid in Q2.
    voucher(
        company=beta,
        phase=phase,
        status=Status.PAID,
        submitted=at(2026, 3, 1),
        decided=at(2026, 3, 15),
        paid=at(2026, 4, 20),
        amount=Decimal("7500.00"),
    )
    # Delta: rejected in Q1 (not supported). Epsilon: a session only planned (not supported).
    voucher(company=delta, phase=phase, status=Status.REJECTED, submitted=at(2026, 3, 1), decided=at(2026, 3, 10))
    SessionFactory(case=CaseFactory(company=epsilon), status=SessionStatus.PLANNED, starts_at=at(2026, 3, 3))
    # Gamma: attends two events in Q2; Paula from Alpha comes to both (one person).
    first, second = EventFactory(starts_at=at(2026, 5, 5)), EventFactory(starts_at=at(2026, 5, 20))
    for event in (first, second):
        EventRegistration.objects.create(event=event, name="Paula Eins", email="P1@alpha.example", attended=True)
    EventRegistration.objects.create(
        event=first, name="Gerd Drei", email="g3@gamma.example", company=gamma, attended=True
    )
    EventRegistration.objects.create(event=second, name="No Show", email="no@show.example", attended=False)
    # Zeta: takes part in a project that meets in Q2.
    project = ProjectFactory()
    project.companies.add(zeta)
    ProjectMeeting.objects.create(project=project, starts_at=at(2026, 5, 12))
    # Built from factories, not through the services: the support facts are written at once.
    facts.rebuild()
    return phase
