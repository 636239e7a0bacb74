import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching import services as coaching_services
from coaching.choices import ContactForm
from innoscheck import services as innoscheck_services
from innoscheck.tests.factories import ApplicationFactory
from innoscheck.workflow import Status
from notifications import services
from notifications.models import Delivery, Kind, Notification, Preference
from notifications.tasks import send_digests
from programme.choices import Topic

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _told(kind=None):
    queryset = Notification.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return {notification.user.email for notification in queryset.select_related("user")}


def _mailed():
    return {message.to[0]: message for message in mail.outbox}


def _submit(world, django_capture_on_commit_callbacks):
    application = ApplicationFactory(company=world.company_a, created_by=world.users["member_a"])
    with django_capture_on_commit_callbacks(execute=True):
        innoscheck_services.application_submit(application=application, by=world.users["member_a"])
    return application


def test_a_submission_tells_the_responsible_and_the_lead_partners_staff_and_gives_the_company_a_receipt(
    world, django_capture_on_commit_callbacks
):
    _submit(world, django_capture_on_commit_callbacks)
    assert _told(Kind.REVIEW) == {"staff@example.com", "staff.lead@example.com"}
    assert _told(Kind.APPLICATION) == {"member.a@example.com"}
    assert set(_mailed()) == {"staff@example.com", "staff.lead@example.com", "member.a@example.com"}
    message = _mailed()["staff@example.com"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "/notifications/unsubscribe/" in message.body


def test_decisions_go_by_email_whatever_was_chosen_and_carry_no_unsubscribe(world, django_capture_on_commit_callbacks):
    member = world.users["member_a"]
    services.preferences_set(user=member, choices=dict.fromkeys(services.preferences_of(member), Delivery.PORTAL))
    application = ApplicationFactory(status=Status.IN_REVIEW, company=world.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        innoscheck_services.application_approve(
            application=application, by=world.users["staff"], amount=Decimal("4000")
        )
    mailed = _mailed()
    assert set(mailed) == {member.email, world.company_a.contact_email}
    assert "List-Unsubscribe" not in mailed[member.email].extra_headers
    assert "unsubscribe" not in mailed[member.email].body
    notification = Notification.objects.get(user=member)
    assert (notification.kind, notification.legal_effect) == (Kind.DECISION, True)


def test_portal_only_means_no_mail_and_the_step_taker_is_not_told(world, django_capture_on_commit_callbacks):
    staff = world.users["staff"]
    services.preferences_set(user=staff, choices={Kind.REVIEW: Delivery.PORTAL})
    application = _submit(world, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=staff, kind=Kind.REVIEW).exists()
    assert staff.email not in _mailed()
    innoscheck_services.application_start_review(application=application, by=staff)
    assert not Notification.objects.filter(user=staff, event="voucher.start_review").exists()
    assert Notification.objects.filter(user=world.users["member_a"], event="voucher.start_review").exists()


def test_a_coaching_request_tells_every_coach_and_the_partners_staff(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.case_request(
            company=world.company_b,
            by=world.users["member_b"],
            topic=Topic.IT_SECURITY,
            description="Wir brauchen Hilfe.",
            preferred_form=ContactForm.ONLINE,
        )
    assert _told(Kind.COACHING_REQUEST) == {"coach@example.com", "staff.other@example.com", "staff.lead@example.com"}
    assert _told(Kind.CASE) == {"member.b@example.com"}


def test_the_daily_digest_at_seven_berlin_time_in_each_language(world, django_capture_on_commit_callbacks):
    staff, lead = world.users["staff"], world.users["staff_lead"]
    lead.language = "en"
    lead.save()
    for user in (staff, lead):
        services.preferences_set(user=user, choices={Kind.REVIEW: Delivery.DIGEST})
    with time_machine.travel(datetime.datetime(2026, 12, 1, 16, 0, tzinfo=BERLIN), tick=False):
        _submit(world, django_capture_on_commit_callbacks)
        _submit(world, django_capture_on_commit_callbacks)
    assert staff.email not in _mailed() and lead.email not in _mailed()
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 12, 2, 7, 0, tzinfo=BERLIN), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() is None  # the same day's slot runs once
    mailed = _mailed()
    assert set(mailed) == {staff.email, lead.email}
    assert "2 Benachrichtigungen" in mailed[staff.email].subject
    assert "Antrag eingereicht" in mailed[staff.email].body
    assert "2 notifications" in mailed[lead.email].subject
    assert "Application submitted" in mailed[lead.email].body
    assert "List-Unsubscribe" in mailed[staff.email].extra_headers
    assert not Notification.objects.filter(user__in=[staff, lead], emailed_at__isnull=True).exists()


def test_the_digest_is_sent_at_seven(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == "notifications.tasks.send_digests"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Berlin"


def test_one_click_unsubscribe_without_login(client, world, django_capture_on_commit_callbacks):
    _submit(world, django_capture_on_commit_callbacks)
    link = _mailed()["staff@example.com"].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    response = client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=world.users["staff"], kind=Kind.REVIEW).delivery == Delivery.PORTAL
    forged = reverse("notifications:unsubscribe", args=[path.rstrip("/").rsplit("/", 1)[1] + "x"])
    assert client.post(forged).status_code == 400


def test_an_event_registration_gives_a_receipt(world, django_capture_on_commit_callbacks):
    from coaching.tests.factories import EventFactory

    member = world.users["member_a"]
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.event_register(
            event=event, by=member, name="Asta Riehl", email=member.email, company=world.company_a
        )
    notification = Notification.objects.get(user=member)
    assert notification.kind == Kind.EVENT and notification.url == reverse("coaching:event_detail", args=[event.pk])
    assert set(_mailed()) == {member.email}


def test_a_coach_assigned_to_a_case_is_told_and_the_company_sees_it_in_the_portal(
    world, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import CoachFactory
    from coaching.tests.factories import CaseFactory

    coach, added = world.users["coach"], CoachFactory(email="coach.zwei@example.com")
    case = CaseFactory(company=world.company_a, coach=None)
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.case_assign(case=case, coach=coach, by=world.users["staff"])
    assert set(Notification.objects.filter(event="case.assign").values_list("user__email", flat=True)) == {
        coach.email,
        "member.a@example.com",
    }
    assert coach.email in _mailed()
    # The company's mail is coaching's own, naming the coach; the notification adds none.
    company_side = Notification.objects.get(event="case.assign", user=world.users["member_a"])
    assert company_side.emailed_at is None
    assert "member.a@example.com" not in _mailed()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.case_add_coach(case=case, coach=added, by=coach)
    told = set(Notification.objects.filter(event="case.add_coach").values_list("user__email", flat=True))
    assert told == {added.email, "member.a@example.com"}
    assert set(_mailed()) == {added.email, "member.a@example.com"}


def test_colleague_invitations_tell_the_companys_members_but_the_one_who_acted(
    world, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import UserFactory
    from companies import services as company_services
    from companies.models import Invitation

    member = world.users["member_a"]
    colleague = UserFactory(email="kollegin@example.com")
    company_services.company_add_member(company=world.company_a, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = company_services.invitation_create(company=world.company_a, email="neu@example.com", by=member)
    (sent,) = Notification.objects.filter(event="invitation.send")
    assert (sent.user, sent.kind) == (colleague, Kind.COMPANY)
    assert sent.url == reverse("companies:detail", args=[world.company_a.pk])
    assert set(_mailed()) == {"neu@example.com", colleague.email}

    newcomer = UserFactory(email="neu@example.com")
    company_services.invitation_accept(invitation=invitation, user=newcomer)
    told = set(Notification.objects.filter(event="invitation.accept").values_list("user__email", flat=True))
    assert told == {member.email, colleague.email}

    second = company_services.invitation_create(company=world.company_a, email="spaeter@example.com", by=member)
    company_services.invitation_revoke(invitation=second, by=colleague)
    assert not Invitation.objects.filter(pk=second.pk).exists()
    told = set(Notification.objects.filter(event="invitation.revoke").values_list("user__email", flat=True))
    assert told == {member.email, newcomer.email}


def test_mails_an_app_sends_itself_carry_the_unsubscribe_and_follow_the_choice(
    client, world, django_capture_on_commit_callbacks
):
    """A session invitation (coaching's own mail with the .ics) is a mail of the kind "case": it carries
    the one-click link and the List-Unsubscribe headers, and after the click it is no longer mailed to
    that person (the portal's "Session planned" tells them); the company's contact address, no
    person's account, still gets it."""
    from coaching.tests.factories import CaseFactory

    member = world.users["member_a"]
    case = CaseFactory(company=world.company_a, requested_by=member, coach=world.users["coach"])

    def plan(days):
        with django_capture_on_commit_callbacks(execute=True):
            coaching_services.session_plan(
                case=case,
                by=world.users["coach"],
                starts_at=timezone.now() + datetime.timedelta(days=days),
                duration_hours=Decimal("1.5"),
                form=ContactForm.ON_SITE,
                location="Werkhalle 2",
            )

    plan(3)
    invitation = _mailed()[member.email]
    assert invitation.attachments[0][0] == "session.ics"
    assert invitation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = invitation.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in invitation.body
    assert "List-Unsubscribe" not in _mailed()[world.company_a.contact_email].extra_headers

    mail.outbox.clear()
    assert client.post("/" + link.split("://", 1)[1].split("/", 1)[1]).status_code == 200
    assert Preference.objects.get(user=member, kind=Kind.CASE).delivery == Delivery.PORTAL
    plan(5)
    assert set(_mailed()) == {world.company_a.contact_email}
    assert Notification.objects.filter(user=member, event="session.plan").count() == 2
