"""Demo experts and voucher applications in every state, made through the services. Idempotent."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from programme.choices import SizeClass, Topic
from programme.models import FundingPhase

from . import services
from .models import Application, AttachmentKind, DeMinimisDeclaration, Expert
from .workflow import Status

STAFF_EMAIL = "staff.dortmund@digitale-fabrik.example"

EXPERTS = [
    ("Dr. Katrin Neumann", "Neumann IT-Security Consulting", [Topic.IT_SECURITY], "1150.00", True),
    ("Stefan Albers", "Albers Additive GmbH", [Topic.ADDITIVE_MANUFACTURING], "980.00", True),
    ("Aylin Demir", "Datenwerk Ruhr", [Topic.AI_DATA, Topic.INVENTORY_MANAGEMENT], "1050.00", True),
    ("Prof. Jörg Wessel", "Wessel Energieberatung", [Topic.ENERGY_MANAGEMENT], "1200.00", True),
    ("Miriam Hoffmann", "Shopwerk Digital", [Topic.DIGITAL_SALES], "890.00", False),
]

# (title, topic, expert index, days, target state)
APPLICATIONS = [
    ("Webshop für Ersatzteile", Topic.DIGITAL_SALES, 4, "6", Status.DRAFT),
    ("Werkerassistenz an der Montagelinie", Topic.ASSISTANCE_SYSTEMS, 2, "7", Status.SUBMITTED),
    ("IT-Sicherheitskonzept Produktion", Topic.IT_SECURITY, 0, "8", Status.IN_REVIEW),
    ("Ersatzteile aus dem 3D-Drucker", Topic.ADDITIVE_MANUFACTURING, 1, "5", Status.CHANGES_REQUESTED),
    ("Lastmanagement der Druckluft", Topic.ENERGY_MANAGEMENT, 3, "6", Status.APPROVED),
    ("KI-gestützte Qualitätsprüfung", Topic.AI_DATA, 2, "9", Status.REJECTED),
    ("Digitale Lagerverwaltung", Topic.INVENTORY_MANAGEMENT, 2, "4", Status.WITHDRAWN),
    ("Netzwerksegmentierung der Maschinen", Topic.IT_SECURITY, 0, "5", Status.PROOF_SUBMITTED),
    ("Energiemonitoring der Halle 2", Topic.ENERGY_MANAGEMENT, 3, "4", Status.VERIFIED),
    ("Prototypen im Pulverbett", Topic.ADDITIVE_MANUFACTURING, 1, "7", Status.PAID),
    ("Datenanalyse der Fräszentren", Topic.AI_DATA, 2, "6", Status.EXPIRED),
    ("Notfallplan für Cyberangriffe", Topic.IT_SECURITY, 0, "3", Status.CANCELLED),
]


def _demo_pdf() -> SimpleUploadedFile:
    """A small real PDF so uploads pass the content check."""
    from weasyprint import HTML

    return SimpleUploadedFile("angebot.pdf", HTML(string="<p>Demo-Angebot</p>").write_pdf())


def _experts(staff: User) -> list[Expert]:
    experts = []
    for name, firm, topics, rate, confirmed in EXPERTS:
        expert = Expert.objects.filter(name=name).first()
        if expert is None:
            register = services.expert_save if confirmed else services.expert_propose
            expert = register(by=staff, name=name, firm=firm, topics=list(topics), daily_rate=Decimal(rate))
        experts.append(expert)
    return experts


def _draft(*, company: Company, member: User, phase, title: str, topic: str, expert: Expert, days: str) -> Application:
    application = services.application_create(company=company, by=member, phase=phase)
    services.application_describe(
        application=application,
        by=member,
        topic=topic,
        title=title,
        description=f"{company.name} möchte mit externer Unterstützung: {title}.",
        goals="Kürzere Durchlaufzeiten, weniger Ausschuss, Wissen im Team aufbauen.",
    )
    services.application_choose_expert(
        application=application, by=member, expert=expert, expert_days=Decimal(days), daily_rate=expert.daily_rate
    )
    services.application_confirm_sme(application=application, by=member, sme_confirmed=True)
    start = timezone.localdate() + datetime.timedelta(days=21)
    services.application_set_steps(
        application=application,
        by=member,
        steps=[
            {"description": "Ist-Analyse vor Ort", "start": start, "end": start + datetime.timedelta(days=14)},
            {
                "description": "Konzept und Umsetzungsplan",
                "start": start + datetime.timedelta(days=15),
                "end": start + datetime.timedelta(days=60),
            },
        ],
    )
    services.application_set_deminimis(
        application=application, by=member, declaration=DeMinimisDeclaration.NONE, aids=[]
    )
    services.attachment_add(application=application, by=member, kind=AttachmentKind.QUOTE, upload=_demo_pdf())
    return application


def _advance(application: Application, target: str, *, member: User, staff: User) -> None:
    """Walk the application through the services up to ``target``."""
    if target == Status.DRAFT:
        return
    if target == Status.WITHDRAWN:
        services.application_submit(application=application, by=member)
        services.application_withdraw(application=application, by=member, note="Projekt auf nächstes Jahr verschoben.")
        return
    services.application_submit(application=application, by=member)
    if target == Status.SUBMITTED:
        return
    services.application_start_review(application=application, by=staff)
    if target == Status.IN_REVIEW:
        return
    if target == Status.CHANGES_REQUESTED:
        services.application_request_changes(
            application=application,
            by=staff,
            message="Bitte das Angebot mit Tagessatz und Leistungsbeschreibung nachreichen.",
        )
        return
    if target == Status.REJECTED:
        services.application_reject(
            application=application,
            by=staff,
            reason="Das Vorhaben ist bereits umgesetzt; es fehlt der Innovationsbezug.",
        )
        return
    services.application_approve(application=application, by=staff, amount=application.requested_amount)
    services.voucher_documents_render(application_id=application.pk)
    if target == Status.EXPIRED:
        Application.objects.filter(pk=application.pk).update(
            valid_until=timezone.localdate() - datetime.timedelta(days=1)
        )
        application.refresh_from_db()
        services.application_expire(application=application)
        return
    if target == Status.CANCELLED:
        services.application_cancel(
            application=application, by=staff, reason="Das Unternehmen verzichtet auf den Gutschein."
        )
        return
    if target == Status.APPROVED:
        return
    services.application_submit_proof(
        application=application,
        by=member,
        actual_days=application.expert_days,
        actual_amount=application.approved_amount,
        report=_demo_pdf(),
        invoice=_demo_pdf(),
    )
    if target == Status.PROOF_SUBMITTED:
        return
    services.application_verify(application=application, by=staff, amount=application.approved_amount)
    if target == Status.VERIFIED:
        return
    services.application_mark_paid(application=application, by=staff)


def seed() -> None:
    phase = FundingPhase.objects.running()
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if phase is None or staff is None:
        return
    experts = _experts(staff)
    companies = list(
        Company.objects.exclude(size_class=SizeClass.NOT_SME)
        .filter(memberships__isnull=False)
        .distinct()
        .order_by("name")
    )
    for (title, topic, expert_index, days, target), company in zip(APPLICATIONS, companies, strict=False):
        if Application.objects.filter(title=title).exists():
            continue
        member = company.memberships.select_related("user").first().user
        application = _draft(
            company=company,
            member=member,
            phase=phase,
            title=title,
            topic=topic,
            expert=experts[expert_index],
            days=days,
        )
        if target not in {Status.DRAFT, Status.SUBMITTED} and not experts[expert_index].confirmed:
            services.expert_confirm(expert=experts[expert_index], by=staff)
        _advance(application, target, member=member, staff=staff)
