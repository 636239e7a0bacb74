import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from accounts.tests.factories import UserFactory
from companies.tests.factories import CompanyFactory
from innoscheck.models import (
    Application,
    ApplicationEvent,
    Attachment,
    AttachmentKind,
    DeMinimisAid,
    DeMinimisDeclaration,
    Expert,
    PlannedStep,
)
from innoscheck.workflow import Status
from programme.choices import Topic
from programme.models import FundingPhase
from programme.tests.factories import FundingPhaseFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def pdf_upload(name="angebot.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"Dr. Expertin {n}")
    firm = "Beratung Ruhr GmbH"
    topics = [Topic.IT_SECURITY]
    email = factory.Sequence(lambda n: f"expert{n}@beratung.example")
    daily_rate = Decimal("1000.00")
    confirmed = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete application (ready to submit unless a status is given) with a quote and one step."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    phase = factory.SubFactory(FundingPhaseFactory)
    created_by = factory.SubFactory(UserFactory)
    status = Status.DRAFT
    topic = Topic.IT_SECURITY
    title = factory.Sequence(lambda n: f"IT-Sicherheitskonzept {n}")
    description = "Absicherung der Produktions-IT."
    goals = "Schutz vor Ausfällen."
    expert = factory.SubFactory(ExpertFactory)
    expert_days = Decimal("5.0")
    daily_rate = Decimal("1000.00")
    calculated_amount = Decimal("5000.00")
    requested_amount = Decimal("5000.00")
    sme_confirmed = True
    deminimis_declaration = DeMinimisDeclaration.NONE
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == Status.DRAFT else timezone.now())

    @factory.post_generation
    def with_files(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        PlannedStep.objects.create(
            application=self,
            description="Analyse",
            start=timezone.localdate() + datetime.timedelta(days=14),
            end=timezone.localdate() + datetime.timedelta(days=60),
        )
        attachment = Attachment(
            application=self,
            kind=AttachmentKind.QUOTE,
            original_name="angebot.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            uploaded_by=self.created_by,
        )
        attachment.file.name = shared_file("innoscheck/attachments/factory-quote")
        attachment.save()


def shared_file(name: str, content: bytes = PDF_BYTES) -> str:
    """One stored file that many test objects point to, so factories do not fill the media folder."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name


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
