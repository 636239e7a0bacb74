"""The voucher's whole life in real headless Chromium, company and staff side by side."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader
from weasyprint import HTML

from accounts.tests.browser import log_in
from innoscheck.models import Application
from innoscheck.workflow import VOUCHER, Status
from programme.models import FundingPhase
from programme.tests.factories import FundingPhaseFactory

from .factories import ExpertFactory


def staff_budget(page, base_url) -> dict[str, str]:
    page.goto(base_url + "/")
    return {key: page.get_by_test_id(f"budget-{key}").inner_text() for key in ("total", "reserved", "spent", "free")}


def take_action(page, base_url, application, action, fill=None):
    page.goto(f"{base_url}/innoscheck/{application.pk}/")
    page.get_by_test_id(f"action-{action}").click()
    if fill:
        fill(page)
    page.get_by_test_id("confirm").click()
    # The success message names what happened, in the page's language.
    with translation.override("de"):
        done = str(VOUCHER.by_name[action].done)
    expect(page.locator(".alert-success").first).to_contain_text(done)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_apply_review_approve_download_prove_and_pay(live_server, browser, page, world):
    base = live_server.url
    member, staff = world.users["member_a"], world.users["staff"]
    FundingPhaseFactory(voucher_budget="100000.00")
    expert = ExpertFactory(name="Dr. Katrin Neumann")
    staff_page = browser.new_context(locale="de-DE").new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, base, staff)
    assert staff_budget(staff_page, base) == {
        "total": "100.000,00 €",
        "reserved": "0,00 €",
        "spent": "0,00 €",
        "free": "100.000,00 €",
    }

    # The company fills in the application step by step.
    log_in(page, base, member)
    page.goto(base + "/innoscheck/new/")
    page.locator("#submit-id-submit").click()
    page.locator("#id_topic").select_option("it_security")
    page.locator("#id_title").fill("IT-Sicherheitskonzept für die Fertigung")
    page.locator("#id_description").fill("Segmentierung des Maschinennetzes und Notfallplan.")
    page.locator("#id_goals").fill("Produktionsausfälle durch Cyberangriffe vermeiden.")
    page.locator("#submit-id-submit").click()
    start = timezone.localdate() + datetime.timedelta(days=14)
    page.locator("#id_steps-0-description").fill("Ist-Analyse")
    page.locator("#id_steps-0-start").fill(start.isoformat())
    page.locator("#id_steps-0-end").fill((start + datetime.timedelta(days=30)).isoformat())
    page.get_by_test_id("save").click()
    page.locator("#id_expert").select_option(str(expert.pk))
    page.locator("#id_expert_days").fill("5")
    page.locator("#id_daily_rate").fill("1.000,00")
    page.locator("#submit-id-submit").click()
    page.locator("#id_sme_confirmed").check()
    page.get_by_test_id("save").click()
    page.locator("#id_kind").select_option("quote")
    page.locator("#id_file").set_input_files(
        files=[
            {"name": "angebot.pdf", "mimeType": "application/pdf", "buffer": HTML(string="<p>Angebot</p>").write_pdf()}
        ]
    )
    page.locator("#submit-id-submit").click()
    expect(page.get_by_test_id("attachments")).to_contain_text("angebot.pdf")

    # The missing de-minimis declaration blocks the submission.
    page.goto(page.url.replace("/attachments/", "/review/"))
    expect(page.get_by_test_id("blockers")).to_contain_text("De-minimis-Erklärung")
    expect(page.get_by_test_id("submit-application")).to_be_disabled()
    page.get_by_role("link", name="4. Erklärungen").click()
    page.locator("input[name=deminimis_declaration][value=none]").check()
    page.get_by_test_id("save").click()
    page.goto(page.url.replace("/attachments/", "/review/"))
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("Eingereicht")
    application = Application.objects.get()
    assert application.requested_amount == 5000

    # Staff start the review and ask for changes.
    take_action(staff_page, base, application, "start_review")
    take_action(
        staff_page,
        base,
        application,
        "request_changes",
        lambda p: p.locator("#id_message").fill("Bitte die Ziele messbar formulieren."),
    )

    # The company sees the request, fixes the goals and resubmits.
    page.goto(f"{base}/innoscheck/{application.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("Änderungen erbeten")
    expect(page.locator("#main")).to_contain_text("Bitte die Ziele messbar formulieren.")
    page.get_by_role("link", name="Antrag bearbeiten").click()
    page.locator("#id_goals").fill("Ausfallzeit durch IT-Vorfälle unter 4 Stunden im Jahr.")
    page.locator("#submit-id-submit").click()
    page.goto(f"{base}/innoscheck/{application.pk}/edit/review/")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("In Prüfung")

    # Staff approve; the amount is reserved.
    take_action(staff_page, base, application, "approve")
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert staff_budget(staff_page, base) == {
        "total": "100.000,00 €",
        "reserved": "5.000,00 €",
        "spent": "0,00 €",
        "free": "95.000,00 €",
    }

    # The company downloads the voucher: a real PDF with the voucher number in its text.
    page.goto(f"{base}/innoscheck/{application.pk}/")
    expect(page.get_by_test_id("voucher-number")).to_have_text(application.voucher_number)
    with page.expect_download() as download_info:
        page.get_by_test_id("download-voucher").click()
    with open(download_info.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert application.voucher_number in text

    # The company submits the proof of use.
    def proof(p):
        p.locator("#id_actual_days").fill("5")
        p.locator("#id_actual_amount").fill("5.000,00")
        report = HTML(string="<p>Bericht</p>").write_pdf()
        p.locator("#id_report").set_input_files(
            files=[{"name": "bericht.pdf", "mimeType": "application/pdf", "buffer": report}]
        )
        invoice = HTML(string="<p>Rechnung</p>").write_pdf()
        p.locator("#id_invoice").set_input_files(
            files=[{"name": "rechnung.pdf", "mimeType": "application/pdf", "buffer": invoice}]
        )

    take_action(page, base, application, "submit_proof", proof)

    # Staff verify and pay; the amount moves from reserved to spent.
    take_action(staff_page, base, application, "verify")
    take_action(staff_page, base, application, "mark_paid")
    application.refresh_from_db()
    assert application.status == Status.PAID
    assert staff_budget(staff_page, base) == {
        "total": "100.000,00 €",
        "reserved": "0,00 €",
        "spent": "5.000,00 €",
        "free": "95.000,00 €",
    }
    phase = FundingPhase.objects.get()
    assert (phase.reserved_amount, phase.spent_amount) == (0, 5000)
    assert list(application.events.values_list("to_state", flat=True)).count(Status.IN_REVIEW) == 2
    staff_page.context.close()
