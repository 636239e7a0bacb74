"""A realistic caseload: cases in every status, sessions with participants, a project and two events.

Idempotent: each case is keyed by company and description, the project and events by title.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from companies.models import Company
from programme.choices import Topic
from programme.models import PartnerOrganisation

from . import services
from .choices import CaseOutcome, CaseStatus, ContactForm, EventKind
from .models import Case, Event, EventRegistration, Project
from .workflow import CASE, MOVES

COACH_DORTMUND = "coach.dortmund@digitale-fabrik.example"
COACH_HAGEN = "coach.hagen@digitale-fabrik.example"
STAFF = "staff.dortmund@digitale-fabrik.example"

# company, topic, description, preferred form, coach (None: waits in the queue), status path, held sessions,
# planned session, outcome
CASES = [
    (
        "Hoesch Präzisionsteile",
        Topic.AI_DATA,
        "Wir möchten Maschinendaten der CNC-Fräsen auswerten, um Ausschuss früh zu erkennen.",
        ContactForm.ON_SITE,
        COACH_DORTMUND,
        [CaseStatus.IN_PROGRESS, CaseStatus.CONCEPT_READY, CaseStatus.IN_IMPLEMENTATION],
        3,
        True,
        None,
    ),
    (
        "Westfalen Stahlbau",
        Topic.ENERGY_MANAGEMENT,
        "Energieverbräuche der Schweißanlagen transparent machen und Lastspitzen senken.",
        ContactForm.ON_SITE,
        COACH_DORTMUND,
        [CaseStatus.IN_PROGRESS, CaseStatus.CONCEPT_READY],
        2,
        False,
        None,
    ),
    (
        "Borsigplatz Metallbau",
        Topic.DIGITAL_SALES,
        "Ein Online-Konfigurator für Geländer und Treppen, damit Anfragen strukturiert eingehen.",
        ContactForm.ONLINE,
        COACH_DORTMUND,
        [CaseStatus.IN_PROGRESS, CaseStatus.WAITING_FOR_COMPANY],
        1,
        False,
        None,
    ),
    (
        "Phoenix Sensorik",
        Topic.IT_SECURITY,
        "Absicherung der Fernwartungszugänge unserer Kunden-Sensorik.",
        ContactForm.ONLINE,
        None,
        [],
        0,
        False,
        None,
    ),
    (
        "Dortmunder Drucktechnik",
        Topic.INVENTORY_MANAGEMENT,
        "Papierlager und Bestellwesen digital abbilden.",
        ContactForm.PHONE,
        COACH_DORTMUND,
        [],
        0,
        True,
        None,
    ),
    (
        "Kaiserstraße Elektro",
        Topic.ASSISTANCE_SYSTEMS,
        "Digitale Montageanleitungen auf Tablets für die Schaltschrankfertigung.",
        ContactForm.ON_SITE,
        COACH_DORTMUND,
        [CaseStatus.IN_PROGRESS],
        2,
        False,
        CaseOutcome.IMPLEMENTED,
    ),
    (
        "Hagener Federnwerk",
        Topic.ADDITIVE_MANUFACTURING,
        "Prüfen, ob Vorrichtungen im 3D-Druck günstiger hergestellt werden können.",
        ContactForm.ON_SITE,
        COACH_HAGEN,
        [CaseStatus.IN_PROGRESS],
        1,
        True,
        None,
    ),
    (
        "Volmetal Armaturen",
        Topic.AI_DATA,
        "Bildverarbeitung für die Sichtprüfung von Armaturen.",
        ContactForm.ONLINE,
        COACH_HAGEN,
        [CaseStatus.IN_PROGRESS, CaseStatus.CONCEPT_READY],
        2,
        False,
        CaseOutcome.REFERRED_TO_VOUCHER,
    ),
    (
        "Lenne Galvanik",
        Topic.ENERGY_MANAGEMENT,
        "Energiemonitoring der Galvanikbäder.",
        ContactForm.PHONE,
        None,
        [],
        0,
        False,
        None,
    ),
    (
        "Orthotec 3D Hagen",
        Topic.OTHER,
        "Allgemeiner Digitalisierungscheck.",
        ContactForm.ONLINE,
        COACH_HAGEN,
        [],
        1,
        False,
        CaseOutcome.NO_FURTHER_NEED,
    ),
]

PARTICIPANTS = [("Anna Becker", "a.becker"), ("Markus Wolf", "m.wolf"), ("Selin Kaya", "s.kaya")]
GUESTS = [
    ("Thomas Lange", "t.lange"),
    ("Julia Hoffmann", "j.hoffmann"),
    ("Deniz Arslan", "d.arslan"),
    ("Katrin Schulz", "k.schulz"),
    ("Piotr Nowak", "p.nowak"),
    ("Miriam Koch", "m.koch"),
]


def _domain(company: Company) -> str:
    return company.name.lower().replace(" ", "-").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue") + ".example"


def _seed_case(row, users) -> None:
    name, topic, description, form, coach_email, path, held, planned, outcome = row
    company = Company.objects.filter(name=name).first()
    if company is None or Case.objects.filter(company=company, description=description).exists():
        return
    member = company.memberships.select_related("user").first()
    requester = member.user if member else users[STAFF]
    case = services.case_request(
        company=company,
        by=requester,
        topic=topic,
        description=description,
        preferred_form=form,
        preferred_dates="Dienstags oder donnerstags vormittags",
    )
    if coach_email is None:
        return
    coach = users[coach_email]
    services.case_assign(case=case, coach=coach, by=users[STAFF])
    now = timezone.now()
    domain = _domain(company)
    for number in range(held):
        starts_at = (now - datetime.timedelta(days=7 * (held - number) + 3)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        services.session_record_held(
            case=case,
            by=coach,
            starts_at=starts_at,
            duration_hours=Decimal("2"),
            form=form,
            location=company.city if form == ContactForm.ON_SITE else "",
            shared_notes=f"Termin {number + 1}: Ist-Aufnahme und Ziele besprochen.",
            internal_notes="Budget noch unklar; Geschäftsführung einbinden.",
            participants=[
                {"name": person, "email": f"{local}@{domain}"} for person, local in PARTICIPANTS[: number + 1]
            ],
            next_steps=[
                {
                    "description": "Angebote von zwei Anbietern einholen",
                    "due_date": (starts_at + datetime.timedelta(days=10)).date(),
                }
            ],
        )
    case.refresh_from_db()
    for status in path:
        if status != case.status:
            move = next(name for name in MOVES if CASE[name].target == status)
            case = CASE.perform(move, obj=case, by=coach, data={})
    if planned:
        services.session_plan(
            case=case,
            by=coach,
            starts_at=(now + datetime.timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0),
            duration_hours=Decimal("1.5"),
            form=form,
        )
    if outcome:
        services.case_close(case=case, outcome=outcome, by=coach, note="Ergebnis mit dem Unternehmen besprochen.")


def _seed_project(users) -> None:
    title = "Energiedaten-Netzwerk Ruhr"
    if Project.objects.filter(title=title).exists():
        return
    companies = Company.objects.filter(name__in=["Westfalen Stahlbau", "Hagener Federnwerk", "Lenne Galvanik"])
    project = services.project_save(
        title=title,
        topic=Topic.ENERGY_MANAGEMENT,
        description="Drei Betriebe vergleichen Messkonzepte für Energiemonitoring.",
        coach=users[COACH_HAGEN],
        companies=companies,
    )
    for weeks_ago, place in [(6, "Hagen, HAGENagentur"), (2, "Dortmund, Westfalen Stahlbau")]:
        services.project_meeting_add(
            project=project,
            starts_at=(timezone.now() - datetime.timedelta(weeks=weeks_ago)).replace(hour=9, minute=0, second=0),
            place=place,
            notes="Erfahrungsaustausch",
        )


def _seed_events() -> None:
    partners = {partner.short_name: partner for partner in PartnerOrganisation.objects.all()}
    companies = list(Company.objects.order_by("name")[:6])
    now = timezone.now()
    past_title, future_title = "Workshop: KI in der Qualitätsprüfung", "Infoabend: IT-Sicherheit im Mittelstand"
    if not Event.objects.filter(title=past_title).exists() and "WF DO" in partners:
        event = services.event_create(
            title=past_title,
            kind=EventKind.WORKSHOP,
            topic=Topic.AI_DATA,
            starts_at=(now - datetime.timedelta(days=14)).replace(hour=15, minute=0, second=0, microsecond=0),
            place="Dortmund, TechnologieZentrum",
            organiser=partners["WF DO"],
            capacity=20,
        )
        # A past event: its registrations are history, recorded as they were (registration is closed now).
        EventRegistration.objects.bulk_create(
            EventRegistration(event=event, name=name, email=f"{local}@{_domain(company)}", company=company)
            for (name, local), company in zip(GUESTS, companies, strict=False)
        )
        registered = event.registrations.order_by("pk").values_list("pk", flat=True)
        services.event_record_attendance(
            event=event, attendance={pk: position < 5 for position, pk in enumerate(registered)}
        )
    if not Event.objects.filter(title=future_title).exists() and "SIHK" in partners:
        event = services.event_create(
            title=future_title,
            kind=EventKind.INFO_EVENING,
            topic=Topic.IT_SECURITY,
            starts_at=(now + datetime.timedelta(days=21)).replace(hour=18, minute=0, second=0, microsecond=0),
            place="Hagen, SIHK",
            organiser=partners["SIHK"],
            capacity=40,
        )
        for (name, local), company in zip(GUESTS[3:], companies[:3], strict=True):
            services.event_register(
                event=event, by=None, name=name, email=f"{local}@{_domain(company)}", company=company
            )


def seed() -> None:
    users = {user.email: user for user in User.objects.filter(email__in=[COACH_DORTMUND, COACH_HAGEN, STAFF])}
    if len(users) < 3:
        return
    for row in CASES:
        _seed_case(row, users)
    _seed_project(users)
    _seed_events()
