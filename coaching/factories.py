"""Factories of cases, sessions, projects and events (tests, demo and benchmarks; see programme/factories.py)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.factories import CoachFactory
from coaching.choices import CaseStatus, ContactForm, EventKind, SessionStatus
from coaching.models import Case, Event, EventRegistration, NextStep, Project, Session, SessionParticipant
from companies.factories import CompanyFactory
from programme.choices import Topic
from programme.factories import PartnerOrganisationFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A new request; use coaching.services to move it along (status is only changed there)."""

    class Meta:
        model = Case

    company = factory.SubFactory(CompanyFactory)
    topic = Topic.IT_SECURITY
    description = "Wir möchten unsere Maschinendaten absichern."
    preferred_form = ContactForm.ON_SITE
    status = CaseStatus.NEW


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    case = factory.SubFactory(CaseFactory)
    status = SessionStatus.PLANNED
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    duration_hours = Decimal("2")
    form = ContactForm.ONLINE


class SessionParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionParticipant

    session = factory.SubFactory(SessionFactory, status=SessionStatus.HELD)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"person{n}@firma.example")


class NextStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NextStep

    case = factory.SubFactory(CaseFactory)
    description = "Angebote einholen"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Projekt {n}")
    topic = Topic.ENERGY_MANAGEMENT
    coach = factory.SubFactory(CoachFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Workshop {n}")
    kind = EventKind.WORKSHOP
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    place = "Dortmund, Technologiezentrum"
    organiser = factory.SubFactory(PartnerOrganisationFactory)
    topic = Topic.AI_DATA
    capacity = 20


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"gast{n}@firma.example")
