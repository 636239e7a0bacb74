"""The issue's walk in real Chromium: submit → task list and bell → changes requested → the company
answers in the conversation and resubmits → approval while the SMTP server refuses → the mail is
delivered once the server accepts again, and the voucher PDF exists."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.browser import log_in
from innoscheck.models import Application
from innoscheck.tests.factories import ApplicationFactory
from innoscheck.workflow import Status
from notifications.models import OutboxMail, OutboxStatus
from notifications.outbox import outbox_requeue_pending
from programme.tests.factories import FundingPhaseFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_submit_review_converse_and_approve_while_smtp_refuses(live_server, browser, page, world, smtp):
    base = live_server.url
    member, staff = world.users["member_a"], world.users["staff"]
    phase = FundingPhaseFactory(voucher_budget="100000.00")
    application = ApplicationFactory(company=world.company_a, phase=phase, created_by=member, title="Cloud-ERP")
    staff_page = browser.new_context(locale="de-DE").new_page()
    staff_page.set_default_timeout(15_000)

    # The company submits.
    log_in(page, base, member)
    page.goto(f"{base}/innoscheck/{application.pk}/edit/review/")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("Eingereicht")

    # The responsible staff member sees it in the bell and the task list.
    log_in(staff_page, base, staff)
    expect(staff_page.get_by_test_id("unread-count")).to_contain_text("1")
    staff_page.get_by_test_id("nav-tasks").click()
    staff_page.get_by_test_id("tasks-review").get_by_role("link", name="Cloud-ERP").click()
    staff_page.get_by_test_id("action-request_changes").click()
    staff_page.locator("#id_message").fill("Bitte das Angebot des Experten aktualisieren.")
    staff_page.get_by_test_id("confirm").click()
    expect(staff_page.locator(".alert-success").first).to_be_visible()

    # The company answers in the conversation and resubmits.
    page.goto(f"{base}/innoscheck/{application.pk}/")
    expect(page.get_by_test_id("change-request")).to_contain_text("Angebot des Experten")
    page.get_by_test_id("conversation").click()
    page.locator("#id_text").fill("Das aktualisierte Angebot kommt heute noch.")
    page.get_by_test_id("send-message").click()
    expect(page.get_by_test_id("thread")).to_contain_text("Das aktualisierte Angebot kommt heute noch.")
    page.goto(f"{base}/innoscheck/{application.pk}/edit/review/")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("In Prüfung")

    staff_page.goto(f"{base}/notifications/")
    expect(staff_page.get_by_test_id("notifications")).to_contain_text("Neue Nachricht zum Antrag")

    # Staff approve while the mail server refuses: the approval succeeds all the same.
    smtp.refuse_for_now()
    staff_page.goto(f"{base}/innoscheck/{application.pk}/")
    staff_page.get_by_test_id("action-approve").click()
    staff_page.get_by_test_id("confirm").click()
    expect(staff_page.locator(".alert-success").first).to_be_visible()
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.APPROVED
    assert application.voucher_pdf and application.voucher_pdf.storage.exists(application.voucher_pdf.name)
    decision = OutboxMail.objects.filter(recipient=member.email, kind="decision").latest("pk")
    assert decision.subject.endswith(f"InnoScheck bewilligt: {application.voucher_number}")
    assert decision.status == OutboxStatus.PENDING and "451" in decision.last_error

    # The server accepts again; the retry delivers the decision.
    smtp.accept()
    outbox_requeue_pending(now=timezone.now() + datetime.timedelta(hours=1))
    decision.refresh_from_db()
    assert decision.status == OutboxStatus.SENT and decision.attempts == 2
    assert member.email in smtp.recipients()
    page.goto(f"{base}/innoscheck/{application.pk}/")
    expect(page.get_by_test_id("download-voucher")).to_be_visible()
