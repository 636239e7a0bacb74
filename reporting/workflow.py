"""A report's life as data (programme.workflow). Workers take every step but the retry."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programme.workflow import Transition, Workflow

from .models import ReportStatus

RUNNING = frozenset({ReportStatus.COLLECTING, ReportStatus.RENDERING})

REPORT = Workflow(
    name="report",
    object_argument="report",
    event_model="reporting.ReportEvent",
    transitions=[
        Transition("request", pgettext_lazy("report", "Request"), frozenset(), ReportStatus.QUEUED),
        Transition("start", _("Start"), frozenset({ReportStatus.QUEUED}), ReportStatus.COLLECTING),
        # A worker died mid-way; the message came back and another worker starts again.
        Transition("restart", _("Restart"), RUNNING, ReportStatus.COLLECTING),
        Transition("render", _("Render"), frozenset({ReportStatus.COLLECTING}), ReportStatus.RENDERING),
        Transition("finish", _("Finish"), frozenset({ReportStatus.RENDERING}), ReportStatus.DONE),
        Transition("fail", _("Fail"), frozenset({ReportStatus.QUEUED}) | RUNNING, ReportStatus.FAILED),
        Transition(
            "retry",
            _("Retry"),
            frozenset({ReportStatus.FAILED}),
            ReportStatus.QUEUED,
            allowed="reporting.permissions.can_retry_report",
            form="programme.forms.EmptyForm",
            service="reporting.services.report_retry",
            done=_("The report has been queued again."),
        ),
    ],
)
