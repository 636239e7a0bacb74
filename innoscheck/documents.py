"""The voucher and the de-minimis certificate as PDF (WeasyPrint), in the programme's language (or another).

Both name the granting body with its address and carry the EU and NRW funding line (programme.documents).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from programme.documents import document_context

from .eligibility import deminimis_check
from .models import Application


def _render(template: str, context: dict, language: str | None) -> bytes:
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, {**document_context(), **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_voucher_pdf(application: Application, *, language: str | None = None) -> bytes:
    return _render(
        "innoscheck/pdf/voucher.html", {"application": application, "company": application.company}, language
    )


def render_certificate_pdf(application: Application, *, language: str | None = None) -> bytes:
    decision_date = timezone.localdate(application.approved_at or application.decided_at)
    check = deminimis_check(application, decision_date=decision_date, amount=application.approved_amount)
    return _render(
        "innoscheck/pdf/certificate.html",
        {
            "application": application,
            "company": application.company,
            "decision_date": decision_date,
            "window_first": check.first,
            "window_last": check.last,
            "ceiling": check.ceiling,
            "deminimis": check,
        },
        language,
    )
