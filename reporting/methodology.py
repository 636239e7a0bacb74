"""How each figure of the reports is counted, in words: the reports' methodology annex.

The rules stated here are those of reporting/indicators.py; a change there is a change here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Method:
    codes: str
    name: Promise
    definition: Promise
    counts: Promise
    period: Promise
    deduplication: Promise


GRANT_PERIOD = _(
    "A grant counts in the period in which the voucher was approved and stays counted there. A later "
    "cancellation, rejection after approval or expiry is an event of its own period; it never changes a period "
    "already reported, so a past period's report gives the same figures when it is run again."
)
SUPPORT_PERIOD = _(
    "A company counts in every period with support dated in it (approval of a voucher, held session, attended "
    "event, project meeting or project start); the cumulative column counts from the start of the funding phase."
)
ONCE_PER_COMPANY = _(
    "Each company once per column, however often and in whatever ways it was supported (one company record per "
    "undertaking)."
)
SIZE_AT_SUPPORT = _(
    "Size class, city and partner are those the company had when it was supported, not its current profile."
)

METHODS = [
    Method(
        "RCO01 / CO01",
        _("Enterprises supported"),
        _("Enterprises receiving support from the programme (grant or non-financial support)."),
        _(
            "A company with a voucher of the funding phase approved for it, a coaching session held with it, an "
            "event attended by one of its people, or a cross-company project it takes part in that met or started."
        ),
        SUPPORT_PERIOD,
        ONCE_PER_COMPANY,
    ),
    Method(
        "RCO02 / CO02",
        _("Enterprises supported by grants"),
        _("Enterprises receiving an InnoScheck voucher (a grant paid to the expert on the company's behalf)."),
        _("A company with a voucher approved in the period. Submitted or rejected applications do not count."),
        GRANT_PERIOD,
        ONCE_PER_COMPANY,
    ),
    Method(
        "RCO04 / CO04",
        _("Enterprises with non-financial support"),
        _("Enterprises receiving advice from the InnovationCoaches, in events or in cross-company projects."),
        _(
            "A held coaching session (planned or cancelled sessions do not count), an attended event registration "
            "with the company named, or participation in a project that met or started in the period."
        ),
        SUPPORT_PERIOD,
        ONCE_PER_COMPANY,
    ),
    Method(
        "RCO01 / CO01",
        _("… by size class (micro, small, medium-sized)"),
        _("The supported enterprises by their EU SME class (Commission Recommendation 2003/361/EC)."),
        _("The class follows from staff headcount, annual turnover and balance-sheet total as the company declared."),
        SIZE_AT_SUPPORT,
        ONCE_PER_COMPANY,
    ),
    Method(
        "RCO05 / CO05",
        _("New enterprises supported"),
        _("Enterprises that had existed for less than three years when they received the support."),
        _(
            "The age is computed to the day from the founding date to the company's first support in the funding "
            "phase (first held session or first approved voucher)."
        ),
        SUPPORT_PERIOD,
        ONCE_PER_COMPANY,
    ),
    Method(
        "–",
        _("People reached"),
        _("Individual persons from companies who took part in coaching sessions and events."),
        _("Participants of held sessions and attendees of events."),
        _("A person counts in every period in which they took part."),
        _("A person is counted once per column, recognised by their e-mail address (upper and lower case alike)."),
    ),
    Method(
        "–",
        _("Coaching sessions, events, projects"),
        _("The InnovationCoaches' activities."),
        _(
            "Sessions held; events that took place with their registrations and attending participants; projects "
            "started or meeting, with their participating companies."
        ),
        _("By the date of the session, event, project start or project meeting."),
        _("Companies coached and companies in projects: each company once per column."),
    ),
    Method(
        "–",
        _("Vouchers and amounts"),
        _("InnoScheck applications and vouchers of the funding phase."),
        _(
            "Submitted: applications submitted; approved and approved amount: vouchers approved; rejected: "
            "applications rejected; paid and paid amount: vouchers paid out, with the verified amount."
        ),
        GRANT_PERIOD,
        _("Counted per voucher; a company may hold several vouchers over a phase."),
    ),
    Method(
        "–",
        _("Median time from submission to decision"),
        _("The middle value of the days between submission and decision, in days."),
        _("Vouchers approved or rejected in the period that had been submitted."),
        _("By the date of the decision."),
        _("Counted per voucher."),
    ),
    Method(
        "–",
        _("Financial progress"),
        _("The voucher budget of the funding phase and what is bound of it."),
        _(
            "Reserved: approved amounts of vouchers not yet paid; paid: verified amounts paid out; free: the voucher "
            "budget less reserved and paid. The forecast extends the commitments so far linearly to the phase end."
        ),
        _("As of the end of the period (or the day the data was read, for a period still running)."),
        _("Counted per voucher."),
    ),
]
