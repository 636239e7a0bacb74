"""Who is told what: the portal's one table of notifications.

Each event a service publishes (programme.events; workflow transitions publish
"<workflow>.<transition>") has one entry here: what happened (the notification's title, in the
recipient's language) and who is told, each audience with its kind. An entry with no audience says
explicitly that nobody is told. ``legal`` marks decisions with legal effect: they always go by
e-mail, whatever the person chose for the kind. A workflow transition without an entry fails
notifications/tests/test_table.py, so a new transition cannot be forgotten here.

Audiences (notifications.recipients):
- COMPANY: the company's members (and, for decisions with legal effect, its contact address);
- COACHES: the case's coaches (lead and added); while it has none, every active coach;
- PARTNER_STAFF: staff of the company's responsible partner, and the lead partner's staff;
- FUNDERS: every active funder, for reports made for them (``notify_funders``);
- REQUESTER: who requested the report; REGISTRANT: who registered for an event.
The person who took the step is told only where the entry gives a receipt (the company's own
submissions and requests).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Kind

COMPANY, COACHES, PARTNER_STAFF, FUNDERS, REQUESTER = "company", "coaches", "partner_staff", "funders", "requester"
REGISTRANT = "registrant"
AUDIENCES = (COMPANY, COACHES, PARTNER_STAFF, FUNDERS, REQUESTER, REGISTRANT)


@dataclass(frozen=True)
class Tell:
    audience: str
    kind: str
    legal: bool = False
    # False: in the portal only, because the mail goes out elsewhere (the funders' report mail).
    email: bool = True
    # True: the person who took the step is told too (a receipt for the company's own request).
    receipt: bool = False


@dataclass(frozen=True)
class Entry:
    title: object
    tell: tuple[Tell, ...] = ()


def on(title, *tell: Tell) -> Entry:
    return Entry(title=title, tell=tell)


NOBODY: tuple[Tell, ...] = ()

TABLE: dict[str, Entry] = {
    # Voucher applications (innoscheck.workflow.VOUCHER)
    "voucher.create": on(_("Application started")),
    "voucher.submit": on(
        _("Application submitted"),
        Tell(COMPANY, Kind.APPLICATION, receipt=True),
        Tell(PARTNER_STAFF, Kind.REVIEW),
    ),
    "voucher.start_review": on(_("Review started"), Tell(COMPANY, Kind.APPLICATION)),
    "voucher.request_changes": on(_("Changes requested"), Tell(COMPANY, Kind.DECISION, legal=True)),
    "voucher.resubmit": on(
        _("Application resubmitted"),
        Tell(COMPANY, Kind.APPLICATION, receipt=True),
        Tell(PARTNER_STAFF, Kind.REVIEW),
    ),
    # Context: reporting's support kind has the same English words and another German one.
    "voucher.approve": on(pgettext_lazy("notification", "Voucher approved"), Tell(COMPANY, Kind.DECISION, legal=True)),
    "voucher.reject": on(_("Application rejected"), Tell(COMPANY, Kind.DECISION, legal=True)),
    "voucher.withdraw": on(_("Application withdrawn"), Tell(PARTNER_STAFF, Kind.REVIEW)),
    "voucher.submit_proof": on(
        _("Proof of use submitted"),
        Tell(COMPANY, Kind.APPLICATION, receipt=True),
        Tell(PARTNER_STAFF, Kind.PROOF),
    ),
    "voucher.verify": on(_("Proof of use verified"), Tell(COMPANY, Kind.APPLICATION)),
    "voucher.mark_paid": on(_("Voucher paid"), Tell(COMPANY, Kind.APPLICATION)),
    "voucher.expire": on(
        _("Voucher expired"), Tell(COMPANY, Kind.DECISION, legal=True), Tell(PARTNER_STAFF, Kind.REVIEW)
    ),
    "voucher.cancel": on(_("Voucher cancelled"), Tell(COMPANY, Kind.DECISION, legal=True)),
    # Coaching cases (coaching.workflow.CASE)
    "case.request": on(
        _("Coaching requested"),
        Tell(COMPANY, Kind.CASE, receipt=True),
        Tell(COACHES, Kind.COACHING_REQUEST),
        Tell(PARTNER_STAFF, Kind.COACHING_REQUEST),
    ),
    "case.work": on(_("Coaching in progress"), Tell(COMPANY, Kind.CASE)),
    "case.wait_for_company": on(_("Your coach is waiting for you"), Tell(COMPANY, Kind.CASE)),
    "case.concept_ready": on(_("Concept ready"), Tell(COMPANY, Kind.CASE)),
    "case.implement": on(_("Coaching in implementation"), Tell(COMPANY, Kind.CASE)),
    "case.close": on(_("Coaching case closed"), Tell(COMPANY, Kind.CASE)),
    "case.cancel": on(_("Coaching request cancelled"), Tell(COACHES, Kind.CASE), Tell(PARTNER_STAFF, Kind.CASE)),
    # Coach assignment (coaching.services): the company's mail naming its coach goes out from coaching
    # itself, so for the company here the portal only; the case's coaches learn of their new case.
    "case.assign": on(_("Coach assigned"), Tell(COACHES, Kind.CASE), Tell(COMPANY, Kind.CASE, email=False)),
    "case.add_coach": on(_("Coach added to the case"), Tell(COACHES, Kind.CASE), Tell(COMPANY, Kind.CASE)),
    # Reports (reporting.workflow.REPORT); the workers' own steps tell nobody. Funders of a report made
    # for them (quarterly reports) get reporting's own "report ready" mail, so here the portal only.
    "report.request": on(_("Report requested")),
    "report.start": on(_("Report started")),
    "report.restart": on(_("Report restarted")),
    "report.render": on(_("Report rendering")),
    "report.finish": on(_("Report ready"), Tell(REQUESTER, Kind.REPORT), Tell(FUNDERS, Kind.REPORT, email=False)),
    "report.fail": on(_("Report failed"), Tell(REQUESTER, Kind.REPORT)),
    "report.retry": on(_("Report queued again")),
    # Coaching sessions (coaching.services): the invitation, its update or its cancellation goes out by
    # mail with its .ics from coaching itself, so here the portal only.
    "session.plan": on(_("Session planned"), Tell(COMPANY, Kind.CASE, email=False)),
    "session.reschedule": on(_("Session moved"), Tell(COMPANY, Kind.CASE, email=False)),
    "session.cancel": on(_("Session cancelled"), Tell(COMPANY, Kind.CASE, email=False)),
    "session.hold": on(_("Session recorded"), Tell(COMPANY, Kind.CASE)),
    "session.correct": on(_("Session record corrected"), Tell(COMPANY, Kind.CASE)),
    # Steps that only keep the figures up to date (reporting's support facts): nobody is told.
    "coaching.event_attendance": on(_("Attendance recorded")),
    "coaching.project_saved": on(_("Project saved")),
    "coaching.project_met": on(_("Project meeting recorded")),
    # Event registrations (coaching.services.event_register): a receipt for who registered.
    "event.register": on(_("Registered for an event"), Tell(REGISTRANT, Kind.EVENT, receipt=True)),
    # Colleague invitations (companies.services): the invited address gets the invitation mail itself;
    # the company's members (but the one who acted) are told who was invited, taken back or joined.
    "invitation.send": on(_("Colleague invited"), Tell(COMPANY, Kind.COMPANY)),
    "invitation.revoke": on(_("Invitation taken back"), Tell(COMPANY, Kind.COMPANY)),
    "invitation.accept": on(_("Colleague joined"), Tell(COMPANY, Kind.COMPANY)),
    # An administrator's edit of the responsibility table (programme.responsibility): the companies of the
    # place follow it (companies.services); nobody is told.
    "responsibility.change": on(_("Responsibility table changed")),
    # A company's founding date or its confirmation changed (companies.services): the new-enterprise
    # figures follow (reporting.tallies); nobody is told.
    "company.founding_change": on(_("Founding date changed")),
    # Conversations (notifications.services.message_post): only the side other than the author's is told.
    "message.case": on(_("New message about the coaching"), Tell(COMPANY, Kind.MESSAGE), Tell(COACHES, Kind.MESSAGE)),
    "message.application": on(
        _("New message about the application"), Tell(COMPANY, Kind.MESSAGE), Tell(PARTNER_STAFF, Kind.MESSAGE)
    ),
}


def missing_entries(workflows) -> list[str]:
    """The transitions of ``workflows`` that have no entry in TABLE (there must be none)."""
    return [
        f"{workflow.name}.{transition.name}"
        for workflow in workflows
        for transition in workflow.transitions
        if f"{workflow.name}.{transition.name}" not in TABLE
    ]
