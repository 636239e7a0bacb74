"""Reads shared by views, dashboards and the bench."""

import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts import permissions as roles
from companies.scope import scope_q
from digitalfabrik.db import choice_label
from programme.choices import Topic
from programme.models import FundingPhase

from .models import Application, ApplicationEvent
from .workflow import ACTIVE_VOUCHER, UNDECIDED, Status


def review_queue(*, user) -> QuerySet[Application]:
    """The submitted applications of the companies ``user`` looks after, with only what the queue shows."""
    return (
        Application.objects.exclude(status=Status.DRAFT)
        .filter(scope_q(user, company="company__"))
        .select_related("company", "partner")
        .only(
            "submitted_at",
            "title",
            "topic",
            "status",
            "requested_amount",
            "company__name",
            "company__city",
            "partner__short_name",
        )
        .annotate(topic_label=choice_label("topic", Topic.choices), status_label=choice_label("status", Status.choices))
        .order_by("submitted_at", "pk")
    )


def applications_of(user) -> QuerySet[Application]:
    """A company user's applications across their companies."""
    if not roles.is_company_user(user):
        return Application.objects.none()
    return (
        Application.objects.filter(company__memberships__user=user)
        .select_related("company", "expert")
        .order_by("-created_at")
    )


def applications_in_detail() -> QuerySet[Application]:
    """Applications with everything their detail page shows."""
    return Application.objects.select_related(
        "company", "phase", "expert", "partner", "created_by", "coaching_case"
    ).prefetch_related(
        "planned_steps",
        "deminimis_aids",
        "attachments",
        Prefetch("events", queryset=ApplicationEvent.objects.select_related("by")),
    )


def budget_figures(phase: FundingPhase) -> dict[str, Decimal]:
    return {
        "budget": phase.voucher_budget,
        "reserved": phase.reserved_amount,
        "spent": phase.spent_amount,
        "free": phase.free_amount,
    }


def staff_dashboard(*, today: datetime.date | None = None) -> dict:
    """Budget of the current phase and counts for the staff dashboard (two queries)."""
    today = today or timezone.localdate()
    phase = FundingPhase.objects.running(today=today)
    counts = Application.objects.aggregate(
        waiting=Count("pk", filter=Q(status__in=[Status.SUBMITTED, Status.IN_REVIEW])),
        proofs=Count("pk", filter=Q(status=Status.PROOF_SUBMITTED)),
        to_pay=Count("pk", filter=Q(status=Status.VERIFIED)),
    )
    return {"phase": phase, "budget": budget_figures(phase) if phase else None, **counts}


def company_dashboard(user) -> dict:
    applications = applications_of(user)
    return applications.aggregate(
        open=Count("pk", filter=Q(status__in=UNDECIDED | {Status.DRAFT})),
        active=Count("pk", filter=Q(status__in=ACTIVE_VOUCHER)),
        changes=Count("pk", filter=Q(status=Status.CHANGES_REQUESTED)),
    )


def funder_dashboard() -> dict:
    return Application.objects.aggregate(
        approved=Count("pk", filter=Q(status__in=ACTIVE_VOUCHER | {Status.PAID})),
        paid=Count("pk", filter=Q(status=Status.PAID)),
        paid_amount=Sum("verified_amount", filter=Q(status=Status.PAID)),
    )
