"""A coaching case's life as data (programme.workflow): its transitions, who may take each, the form
and the service. Sessions, assignment and next steps are recorded beside it (coaching.services)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programme.workflow import Transition, Workflow

from .choices import CaseStatus

OPEN = frozenset(set(CaseStatus.values) - {CaseStatus.CLOSED})
P = "coaching.permissions."
S = "coaching.services."
NOTE = "programme.forms.NoteForm"

CASE = Workflow(
    name="case",
    object_argument="case",
    event_model="coaching.CaseStatusChange",
    transitions=[
        Transition("request", _("Request coaching"), frozenset(), CaseStatus.NEW),
        Transition(
            "work",
            _("In progress"),
            frozenset(
                {CaseStatus.NEW, CaseStatus.WAITING_FOR_COMPANY, CaseStatus.CONCEPT_READY, CaseStatus.IN_IMPLEMENTATION}
            ),
            CaseStatus.IN_PROGRESS,
            allowed=P + "can_work_on_case",
            form=NOTE,
            service=S + "case_work",
            done=_("The case is in progress."),
        ),
        Transition(
            "wait_for_company",
            _("Waiting for the company"),
            frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CONCEPT_READY, CaseStatus.IN_IMPLEMENTATION}),
            CaseStatus.WAITING_FOR_COMPANY,
            allowed=P + "can_work_on_case",
            form=NOTE,
            service=S + "case_wait_for_company",
            done=_("The case is waiting for the company."),
        ),
        Transition(
            "concept_ready",
            _("Concept ready"),
            frozenset({CaseStatus.IN_PROGRESS, CaseStatus.WAITING_FOR_COMPANY}),
            CaseStatus.CONCEPT_READY,
            allowed=P + "can_work_on_case",
            form=NOTE,
            service=S + "case_concept_ready",
            done=_("The concept is ready."),
        ),
        Transition(
            "implement",
            _("In implementation"),
            frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CONCEPT_READY}),
            CaseStatus.IN_IMPLEMENTATION,
            allowed=P + "can_work_on_case",
            form=NOTE,
            service=S + "case_implement",
            done=_("The case is in implementation."),
        ),
        Transition(
            "close",
            _("Close case"),
            OPEN,
            CaseStatus.CLOSED,
            allowed=P + "can_work_on_case",
            form="coaching.forms.CloseForm",
            service=S + "case_close",
            style="outline-danger",
            done=_("The case has been closed."),
        ),
        Transition(
            "cancel",
            pgettext_lazy("coaching request", "Cancel request"),
            OPEN,
            CaseStatus.CLOSED,
            allowed=P + "can_cancel_case",
            form="programme.forms.EmptyForm",
            service=S + "case_cancel",
            style="outline-danger",
            done=_("The request has been cancelled."),
        ),
    ],
)

# The moves between open states, offered as one row of buttons on the case page.
MOVES = ("work", "wait_for_company", "concept_ready", "implement")
