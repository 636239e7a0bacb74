"""Test helpers of the voucher side; the factories live in innoscheck/factories.py (demo and benchmarks use them)."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from innoscheck.factories import PDF_BYTES, ApplicationFactory, ExpertFactory, shared_file  # noqa: F401
from innoscheck.models import Application, ApplicationEvent, DeMinimisAid, DeMinimisDeclaration
from innoscheck.workflow import Status
from programme.models import FundingPhase

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def pdf_upload(name="angebot.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def approved_application(**kwargs) -> Application:
    """An application in the approved state with its reservation booked, as the service would leave it."""
    amount = kwargs.pop("approved_amount", Decimal("5000.00"))
    application = ApplicationFactory(
        status=kwargs.pop("status", Status.APPROVED),
        approved_amount=amount,
        decided_at=timezone.now(),
        approved_at=timezone.now(),
        voucher_number=kwargs.pop("voucher_number", None)
        or f"ISR-{timezone.localdate().year}-T{Application.objects.count():03d}",
        valid_until=kwargs.pop("valid_until", timezone.localdate() + datetime.timedelta(days=180)),
        **kwargs,
    )
    FundingPhase.objects.filter(pk=application.phase_id).update(reserved_amount=F("reserved_amount") + amount)
    ApplicationEvent.objects.create(
        application=application, by=None, from_state=Status.IN_REVIEW, to_state=Status.APPROVED
    )
    return application


def aid(application, *, granted_on, amount, grantor="Land NRW") -> DeMinimisAid:
    application.deminimis_declaration = DeMinimisDeclaration.AIDS
    application.save(update_fields=["deminimis_declaration"])
    return DeMinimisAid.objects.create(application=application, granted_on=granted_on, grantor=grantor, amount=amount)
