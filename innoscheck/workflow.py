"""The voucher's life as data: its states, its transitions, who may take each, with which form and
which service (programme.workflow). Nothing else decides which state may follow which.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programme.workflow import Transition, Workflow


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
    CANCELLED = "cancelled", pgettext_lazy("voucher", "Cancelled")


P = "innoscheck.permissions."
F = "innoscheck.forms."
G = "programme.forms."
S = "innoscheck.services."
# A draft that was never submitted is not withdrawn but deleted (services.application_delete_draft).
SUBMITTED_BEFORE_DECISION = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED})

VOUCHER = Workflow(
    name="voucher",
    object_argument="application",
    event_model="innoscheck.ApplicationEvent",
    transitions=[
        Transition("create", _("Start an application"), frozenset(), Status.DRAFT),
        Transition(
            "submit",
            _("Submit"),
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            allowed=P + "acts_for_company",
            form=G + "EmptyForm",
            service=S + "application_submit",
            style="primary",
            done=_("The application has been submitted."),
        ),
        Transition(
            "start_review",
            _("Start review"),
            frozenset({Status.SUBMITTED}),
            Status.IN_REVIEW,
            allowed=P + "reviews",
            form=G + "NoteForm",
            service=S + "application_start_review",
            done=_("The review has started."),
        ),
        Transition(
            "request_changes",
            _("Request changes"),
            frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            allowed=P + "reviews",
            form=F + "MessageForm",
            service=S + "application_request_changes",
            done=_("The company has been asked for changes."),
        ),
        Transition(
            "resubmit",
            _("Resubmit"),
            frozenset({Status.CHANGES_REQUESTED}),
            Status.IN_REVIEW,
            allowed=P + "acts_for_company",
            form=G + "NoteForm",
            service=S + "application_resubmit",
            style="primary",
            done=_("The application has been resubmitted."),
        ),
        Transition(
            "approve",
            _("Approve"),
            frozenset({Status.IN_REVIEW}),
            Status.APPROVED,
            allowed=P + "reviews",
            form=F + "ApproveForm",
            service=S + "application_approve",
            style="primary",
            done=_("The application has been approved."),
        ),
        Transition(
            "reject",
            _("Reject"),
            frozenset({Status.IN_REVIEW, Status.APPROVED}),
            Status.REJECTED,
            allowed=P + "reviews",
            form=G + "ReasonForm",
            service=S + "application_reject",
            style="outline-danger",
            done=_("The application has been rejected."),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            SUBMITTED_BEFORE_DECISION,
            Status.WITHDRAWN,
            allowed=P + "acts_for_company",
            form=G + "NoteForm",
            service=S + "application_withdraw",
            style="outline-danger",
            done=_("The application has been withdrawn."),
        ),
        Transition(
            "submit_proof",
            _("Submit proof of use"),
            frozenset({Status.APPROVED}),
            Status.PROOF_SUBMITTED,
            allowed=P + "acts_for_company",
            form=F + "ProofForm",
            service=S + "application_submit_proof",
            done=_("The proof of use has been submitted."),
        ),
        Transition(
            "verify",
            _("Verify proof of use"),
            frozenset({Status.PROOF_SUBMITTED}),
            Status.VERIFIED,
            allowed=P + "reviews",
            form=F + "VerifyForm",
            service=S + "application_verify",
            done=_("The proof of use has been verified."),
        ),
        Transition(
            "mark_paid",
            _("Mark as paid"),
            frozenset({Status.VERIFIED}),
            Status.PAID,
            allowed=P + "reviews",
            form=G + "NoteForm",
            service=S + "application_mark_paid",
            done=_("The voucher has been marked as paid."),
        ),
        # Taken by the hourly expiry task only.
        Transition("expire", _("Expire"), frozenset({Status.APPROVED}), Status.EXPIRED),
        Transition(
            "cancel",
            pgettext_lazy("voucher action", "Cancel"),
            frozenset({Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED}),
            Status.CANCELLED,
            allowed=P + "reviews",
            form=G + "ReasonForm",
            service=S + "application_cancel",
            style="outline-danger",
            done=_("The voucher has been cancelled."),
        ),
    ],
)

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
