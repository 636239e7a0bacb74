"""Factories of voucher applications and experts (tests, demo and benchmarks; see programme/factories.py)."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.factories import UserFactory
from companies.factories import CompanyFactory
from innoscheck.models import (
    Application,
    Attachment,
    AttachmentKind,
    DeMinimisDeclaration,
    Expert,
    PlannedStep,
)
from innoscheck.workflow import Status
from programme.choices import Topic
from programme.factories import FundingPhaseFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
