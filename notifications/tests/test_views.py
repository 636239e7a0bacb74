import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.tests.factories import CaseFactory, NextStepFactory, SessionFactory
from innoscheck.tests.factories import ApplicationFactory
from innoscheck.workflow import Status
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def _notify(user, kind=Kind.APPLICATION, title="Antrag eingereicht"):
    return Notification.objects.create(user=user, kind=kind, event="voucher.submit", title=title, url="/innoscheck/")


def test_the_bell_shows_the_unread_count_without_javascript(client, world):
    member = world.users["member_a"]
    _notify(member)
    _notify(member)
    _notify(world.users["member_b"])
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("notifications:list")}" data-testid="bell"' in page
    assert 'data-testid="unread-count">2<' in page


def test_the_list_filters_by_kind_and_marks_one_and_all_read(client, world):
    member = world.users["member_a"]
    first = _notify(member, title="Antrag eingereicht")
    _notify(member, kind=Kind.MESSAGE, title="Neue Nachricht")
    client.force_login(member)
    page = client.get(reverse("notifications:list"), {"kind": Kind.MESSAGE}).content.decode()
    assert "Neue Nachricht" in page and "Antrag eingereicht" not in page

    response = client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})
    assert response["Location"] == "/innoscheck/"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get(reverse("dashboard")).content.decode()


def test_nobody_reads_another_persons_notification(client, world):
    notification = _notify(world.users["member_a"])
    client.force_login(world.users["member_b"])
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_task_list_shows_each_staff_member_their_scope(client, world):
    in_review_a = ApplicationFactory(company=world.company_a, status=Status.IN_REVIEW, title="Antrag A")
    ApplicationFactory(company=world.company_b, status=Status.SUBMITTED, title="Antrag B")
    ApplicationFactory(company=world.company_a, status=Status.PROOF_SUBMITTED, title="Nachweis A")
    CaseFactory(company=world.company_a, coach=None)
    client.force_login(world.users["staff"])
    page = client.get(reverse("notifications:tasks")).content.decode()
    assert "Antrag A" in page and "Nachweis A" in page and "Antrag B" not in page
    assert reverse("innoscheck:detail", args=[in_review_a.pk]) in page
    client.force_login(world.users["staff_other"])
    page = client.get(reverse("notifications:tasks")).content.decode()
    assert "Antrag B" in page and "Antrag A" not in page
    client.force_login(world.users["staff_lead"])
    page = client.get(reverse("notifications:tasks")).content.decode()
    assert "Antrag A" in page and "Antrag B" in page


def test_the_task_list_of_a_coach(client, world):
    coach = world.users["coach"]
    own = CaseFactory(company=world.company_a, coach=coach)
    NextStepFactory(
        case=own, description="Angebot einholen", due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    SessionFactory(case=own, starts_at=timezone.now() - datetime.timedelta(days=1))
    CaseFactory(company=world.company_b, coach=None)
    client.force_login(coach)
    page = client.get(reverse("notifications:tasks")).content.decode()
    assert "Angebot einholen" in page
    assert 'data-testid="tasks-review"' not in page
    sessions = page.split('data-testid="tasks-sessions"')[1]
    assert "Firma A GmbH" in sessions
    unassigned = page.split('data-testid="tasks-unassigned"')[1].split("</section>")[0]
    assert "Firma B GmbH" in unassigned


def test_the_preferences_page_saves_each_kind(client, world):
    from notifications.models import Preference

    client.force_login(world.users["staff"])
    choices = {kind: "immediate" for kind in Kind.values if kind != Kind.DECISION}
    choices[Kind.REVIEW] = "digest"
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert Preference.objects.get(user=world.users["staff"], kind=Kind.REVIEW).delivery == "digest"
    assert Kind.DECISION not in client.get(reverse("notifications:preferences")).content.decode()
