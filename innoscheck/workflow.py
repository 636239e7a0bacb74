"""The voucher's life as data: its states, the allowed transitions and who may take each one.

Services look transitions up here; nothing else decides which state may follow which.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PROOF_SUBMITTED = "proof_submitted", _("Proof of use submitted")
    VERIFIED = "verified", _("Proof of use verified")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class Actor(models.TextChoices):
    COMPANY = "company", _("Company")
    STAFF = "staff", _("Programme staff")
    SYSTEM = "system", _("System")


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    actor: str


TRANSITIONS = {
    t.action: t
    for t in [
        Transition("submit", _("Submit"), frozenset({Status.DRAFT}), Status.SUBMITTED, Actor.COMPANY),
        Transition("start_review", _("Start review"), frozenset({Status.SUBMITTED}), Status.IN_REVIEW, Actor.STAFF),
        Transition(
            "request_changes",
            _("Request changes"),
            frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            Actor.STAFF,
        ),
        Transition("resubmit", _("Resubmit"), frozenset({Status.CHANGES_REQUESTED}), Status.IN_REVIEW, Actor.COMPANY),
        Transition("approve", _("Approve"), frozenset({Status.IN_REVIEW}), Status.APPROVED, Actor.STAFF),
        Transition("reject", _("Reject"), frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.REJECTED, Actor.STAFF),
        Transition(
            "withdraw",
            _("Withdraw"),
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED}),
            Status.WITHDRAWN,
            Actor.COMPANY,
        ),
        Transition(
            "submit_proof",
            _("Submit proof of use"),
            frozenset({Status.APPROVED}),
            Status.PROOF_SUBMITTED,
            Actor.COMPANY,
        ),
        Transition(
            "verify", _("Verify proof of use"), frozenset({Status.PROOF_SUBMITTED}), Status.VERIFIED, Actor.STAFF
        ),
        Transition("mark_paid", _("Mark as paid"), frozenset({Status.VERIFIED}), Status.PAID, Actor.STAFF),
        Transition("expire", _("Expire"), frozenset({Status.APPROVED}), Status.EXPIRED, Actor.SYSTEM),
        Transition(
            "cancel",
            pgettext_lazy("voucher action", "Cancel"),
            frozenset({Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED}),
            Status.CANCELLED,
            Actor.STAFF,
        ),
    ]
}

# States in which the voucher's amount is reserved from the phase's budget.
RESERVING = frozenset({Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED})
# An "active voucher" for the one-active-voucher-per-company rule.
ACTIVE_VOUCHER = RESERVING
# States before a decision, in which the company may still edit and staff review.
UNDECIDED = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED})
EDITABLE_BY_COMPANY = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
HAS_VOUCHER = frozenset(
    {Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED, Status.PAID, Status.EXPIRED, Status.CANCELLED}
)


def actions_from(status: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and t.actor == actor]
