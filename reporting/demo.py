"""Demo: one whole-phase indicator report of the running phase, built for real by the PDF task.

Requested once; with eager tasks (development) the report is rendered right after the demo data is
committed, with a worker it waits in the "pdf" queue. Running the seed again changes nothing.
"""

from django.utils import timezone

from accounts.models import User
from programme.models import FundingPhase

from .models import PeriodPreset, Report, ReportKind
from .services import report_request

DEMO_REQUESTER = "staff.dortmund@digitale-fabrik.example"


def seed() -> None:
    today = timezone.localdate()
    phase = FundingPhase.objects.running(today=today)
    requester = User.objects.filter(email=DEMO_REQUESTER).first()
    if phase is None or requester is None:
        return
    if Report.objects.filter(phase=phase, kind=ReportKind.INDICATORS, requested_by=requester).exists():
        return
    report_request(
        by=requester,
        kind=ReportKind.INDICATORS,
        phase=phase,
        period_start=phase.start,
        period_end=phase.end,
        preset=PeriodPreset.PHASE,
        language="de",
    )
