import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoachFactory
from coaching import services
from coaching.choices import CaseStatus, SessionStatus
from coaching.models import Case, EventRegistration, Session
from coaching.tests.factories import (
    CaseFactory,
    EventFactory,
    EventRegistrationFactory,
    NextStepFactory,
    SessionFactory,
    SessionParticipantFactory,
)
from companies.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _past(**kw):
    return timezone.localtime() - datetime.timedelta(**kw)


def _caseload_for(coach, count):
    for _ in range(count):
        case = CaseFactory(company=CompanyFactory(), coach=coach)
        SessionFactory(case=case, status=SessionStatus.HELD, starts_at=_past(days=3))
        SessionFactory(case=case)
        NextStepFactory(case=case, due_date=timezone.localdate() - datetime.timedelta(days=1))
        case.added_coaches.add(CoachFactory())


@pytest.mark.parametrize("count", [2, 25])
def test_caseload_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, count):
    coach = world.users["coach"]
    _caseload_for(coach, count)
    client.force_login(coach)
    # The navigation's bell counts the unread notifications: one query.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("coaching:caseload"))
    assert len(response.context["page"]) == count
    assert response.content.decode().count('class="overdue"') == count


@pytest.mark.parametrize("count", [2, 25])
def test_queue_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, count):
    for _ in range(count):
        CaseFactory(company=CompanyFactory(), requested_by=world.users["member_a"])
    client.force_login(world.users["admin"])
    # The navigation's bell counts the unread notifications: one query.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("coaching:queue"))
    assert len(response.context["page"]) == count


def test_queue_suggests_the_lead_partners_coach_for_a_place_no_coach_covers(client, world):
    from programme.choices import Region

    schwerte = CompanyFactory(name="Schwerter Stahlbau GmbH", region=Region.OTHER, city="Schwerte", postcode="58239")
    case = CaseFactory(company=schwerte, requested_by=world.users["member_a"])
    client.force_login(world.users["staff_lead"])
    response = client.get(reverse("coaching:queue"))
    (row,) = [row for row in response.context["page"] if row.pk == case.pk]
    assert row.default_coach == world.users["coach"]  # Dortmund's coach: the lead partner is in Dortmund
    assert (
        client.get(reverse("coaching:case_assign", args=[case.pk])).context["form"].initial["coach"]
        == row.default_coach
    )


@pytest.mark.parametrize("count", [2, 25])
def test_event_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, count):
    for _ in range(count):
        EventRegistrationFactory(event=EventFactory(), company=world.company_a)
    client.force_login(world.users["member_a"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("coaching:event_list"))
    assert len(response.context["page"]) == count


def test_caseload_filters_and_sorts(client, world):
    coach = world.users["coach"]
    first = CaseFactory(company=CompanyFactory(name="Zeta GmbH"), coach=coach)
    second = CaseFactory(company=CompanyFactory(name="Alpha GmbH"), coach=coach)
    services.case_work(case=second, by=coach)
    closed = CaseFactory(company=CompanyFactory(), coach=coach)
    services.case_close(case=closed, outcome="implemented", by=coach)
    client.force_login(coach)
    url = reverse("coaching:caseload")
    assert list(client.get(url, {"ordering": "company"}).context["page"]) == [second, first]
    assert list(client.get(url, {"status": "in_progress"}).context["page"]) == [second]
    assert list(client.get(url, {"status": "closed"}).context["page"]) == [closed]
    counts = {row["status"]: row["total"] for row in client.get(url).context["counts"]}
    assert counts[CaseStatus.NEW] == 1 and counts[CaseStatus.CLOSED] == 1


def test_company_requests_coaching_and_sees_it(client, world):
    client.force_login(world.users["member_a"])
    response = client.post(
        reverse("coaching:request_create"),
        {
            "company": world.company_a.pk,
            "topic": "it_security",
            "description": "Ransomware-Schutz",
            "preferred_form": "on_site",
            "preferred_dates": "ab März",
            "submission_token": uuid.uuid4(),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.requested_by == world.users["member_a"]
    assert "Ransomware" not in client.get(reverse("coaching:requests")).content.decode()
    assert case.get_topic_display() in client.get(reverse("coaching:requests")).content.decode()


def test_company_never_sees_internal_notes(client, world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    SessionFactory(
        case=case, status=SessionStatus.HELD, starts_at=_past(days=1), shared_notes="GETEILT", internal_notes="INTERN"
    )
    client.force_login(world.users["member_a"])
    for url in (reverse("coaching:case_detail", args=[case.pk]), reverse("coaching:requests")):
        body = client.get(url).content.decode()
        assert "GETEILT" in body and "INTERN" not in body
    client.force_login(world.users["coach"])
    assert "INTERN" in client.get(reverse("coaching:case_detail", args=[case.pk])).content.decode()


def _record_data(**overrides):
    data = {
        "starts_at": _past(hours=2).strftime("%Y-%m-%dT%H:%M"),
        "duration_hours": "1,5",
        "form": "on_site",
        "location": "",
        "shared_notes": "Ergebnis",
        "internal_notes": "",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Eva",
        "participants-0-email": "eva@firma.example",
        "participants-1-name": "Jan",
        "participants-1-email": "jan@firma.example",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-description": "Angebot einholen",
        "steps-0-due_date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
    }
    data.update(overrides)
    return data


def test_record_held_session_through_the_form(client, world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    client.force_login(world.users["coach"])
    response = client.post(reverse("coaching:session_record", args=[case.pk]), _record_data())
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.duration_hours == Decimal("1.5") and session.participants.count() == 2
    assert case.next_steps.count() == 1


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"participants-1-email": "kein-mail"}, "valid email address"),
        ({"duration_hours": "0"}, "at most 12 hours"),
        ({"duration_hours": "13"}, "12"),
        ({"starts_at": (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}, "future"),
        ({"participants-1-email": "EVA@firma.example"}, "listed twice"),
    ],
)
def test_bad_session_input_shows_an_error_and_saves_nothing(client, world, override, message):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    client.force_login(world.users["coach"])
    response = client.post(
        reverse("coaching:session_record", args=[case.pk]), _record_data(**override), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists() and not case.next_steps.exists()


def test_error_messages_are_translated_to_german(client, world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    client.force_login(world.users["coach"])
    response = client.post(
        reverse("coaching:session_record", args=[case.pk]),
        _record_data(duration_hours="0"),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "höchstens 12 Stunden" in response.content.decode()


def test_plan_session_view_sends_ics(client, world, mailoutbox, django_capture_on_commit_callbacks):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    client.force_login(world.users["coach"])
    starts = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coaching:session_plan", args=[case.pk]),
            {"starts_at": starts, "duration_hours": "2", "form": "online", "location": "Teams"},
        )
    assert response.status_code == 302
    assert mailoutbox[-1].attachments[0][0] == "session.ics"


def test_staff_assigns_the_suggested_coach(client, world):
    case = CaseFactory(company=world.company_a)
    client.force_login(world.users["staff"])
    response = client.get(reverse("coaching:case_assign", args=[case.pk]))
    assert response.context["form"].initial["coach"] == world.users["coach"]
    response = client.post(reverse("coaching:case_assign", args=[case.pk]), {"coach": world.users["coach"].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.coach == world.users["coach"]


def test_company_cancels_open_request(client, world):
    case = CaseFactory(company=world.company_a)
    client.force_login(world.users["member_a"])
    client.post(reverse("coaching:case_action", args=[case.pk, "cancel"]))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "cancelled"
    assert client.post(reverse("coaching:case_action", args=[case.pk, "cancel"])).status_code == 403


def test_event_registration_errors_are_clear(client, world):
    event = EventFactory(capacity=1)
    client.force_login(world.users["member_a"])
    url = reverse("coaching:event_register", args=[event.pk])
    data = {"name": "Eva", "email": "eva@firma.example", "company": world.company_a.pk}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert "already registered" in response.content.decode()
    response = client.post(url, {**data, "email": "jan@firma.example"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "fully booked" in response.content.decode()
    assert EventRegistration.objects.count() == 1


def test_company_sees_only_its_own_event_registrations(client, world):
    event = EventFactory()
    EventRegistrationFactory(event=event, company=world.company_a, name="Anna Eins")
    EventRegistrationFactory(event=event, company=world.company_b, name="Bernd Zwei")
    client.force_login(world.users["member_a"])
    body = client.get(reverse("coaching:event_detail", args=[event.pk])).content.decode()
    assert "Anna Eins" in body and "Bernd Zwei" not in body


def test_coach_records_attendance(client, world):
    event = EventFactory(starts_at=_past(hours=5))
    came, absent = EventRegistrationFactory(event=event), EventRegistrationFactory(event=event)
    client.force_login(world.users["coach"])
    client.post(
        reverse("coaching:event_attendance", args=[event.pk]),
        {f"attendance-{came.pk}": "yes", f"attendance-{absent.pk}": "no"},
    )
    assert set(EventRegistration.objects.filter(attended=True)) == {came}
    assert EventRegistration.objects.get(pk=absent.pk).attended is False


def test_dashboards_render(client, world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    SessionParticipantFactory(session=SessionFactory(case=case, status=SessionStatus.HELD, starts_at=_past(hours=1)))
    for role in ("member_a", "coach", "staff", "funder"):
        client.force_login(world.users[role])
        assert client.get(reverse("dashboard")).status_code == 200


def test_case_page_lists_linked_voucher_applications(client, world):
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.workflow import Status

    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    application = ApplicationFactory(
        company=world.company_a, coaching_case=case, title="Sensorik-Konzept", status=Status.SUBMITTED
    )
    ApplicationFactory(company=world.company_a, coaching_case=case, title="Entwurf bleibt privat")
    url = reverse("coaching:case_detail", args=[case.pk])
    client.force_login(world.users["coach"])
    page = client.get(url).content.decode()
    assert "Sensorik-Konzept" in page
    assert "Entwurf bleibt privat" not in page
    assert reverse("innoscheck:detail", args=[application.pk]) in page
    assert client.get(reverse("innoscheck:detail", args=[application.pk])).status_code == 200
    client.force_login(world.users["staff"])
    assert reverse("innoscheck:detail", args=[application.pk]) in client.get(url).content.decode()


def test_overdue_filter_and_languages(client, world):
    coach = world.users["coach"]
    late = CaseFactory(company=CompanyFactory(), coach=coach)
    NextStepFactory(case=late, due_date=timezone.localdate() - datetime.timedelta(days=2))
    on_time = CaseFactory(company=CompanyFactory(), coach=coach)
    NextStepFactory(case=on_time)
    client.force_login(coach)
    url = reverse("coaching:caseload")
    assert list(client.get(url, {"overdue": "on"}).context["page"]) == [late]
    assert set(client.get(url).context["page"]) == {late, on_time}
    assert "Fallübersicht" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Caseload" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_coach_creates_a_project_and_adds_a_meeting(client, world):
    coach = world.users["coach"]
    client.force_login(coach)
    response = client.post(
        reverse("coaching:project_create"),
        {
            "title": "Energiedaten-Netzwerk",
            "topic": "energy_management",
            "coach": coach.pk,
            "companies": [world.company_a.pk, world.company_b.pk],
            "description": "",
            "outcome": "",
        },
    )
    project = coach.coaching_projects.get()
    assert response.status_code == 302 and project.companies.count() == 2
    client.post(
        reverse("coaching:project_meeting_add", args=[project.pk]),
        {"starts_at": _past(days=1).strftime("%Y-%m-%dT%H:%M"), "place": "Hagen"},
    )
    assert project.meetings.get().place == "Hagen"


def test_staff_creates_an_event(client, world):
    from programme.tests.factories import PartnerOrganisationFactory

    client.force_login(world.users["staff"])
    response = client.post(
        reverse("coaching:event_create"),
        {
            "title": "Infoabend KI",
            "kind": "info_evening",
            "topic": "ai_data",
            "starts_at": (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Bochum",
            "organiser": PartnerOrganisationFactory().pk,
            "capacity": "30",
        },
    )
    assert response.status_code == 302
    assert EventRegistration.objects.count() == 0
    assert "Infoabend KI" in client.get(reverse("coaching:event_list")).content.decode()
