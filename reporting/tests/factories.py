"""Test helpers of the reports; ReportFactory lives in reporting/factories.py (demo and benchmarks use it)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from innoscheck.factories import ApplicationFactory
from innoscheck.workflow import Status
from reporting import vouchers
from reporting.factories import ReportFactory
from reporting.models import Report

BERLIN = ZoneInfo("Europe/Berlin")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=BERLIN)


def voucher(
    *, company, phase, status, submitted, decided=None, paid=None, withdrawn=None, amount=Decimal("5000.00"), **extra
):
    """A voucher application as the InnoScheck services leave it in ``status`` (no files), with the
    maintained voucher figures its steps would have written (reporting.vouchers; the support facts are
    written by ``facts.rebuild()`` where a test needs them). ``withdrawn``: approved on ``decided``, then
    rejected, cancelled or expired on that date."""
    granted = status in (Status.APPROVED, Status.PROOF_SUBMITTED, Status.VERIFIED, Status.PAID) or bool(withdrawn)
    application = ApplicationFactory(
        company=company,
        phase=phase,
        status=status,
        submitted_at=submitted,
        decided_at=decided,
        approved_at=decided if granted else None,
        grant_withdrawn_at=withdrawn,
        support_size_class=company.size_class if granted else "",
        support_region=company.region if granted else "",
        support_city=company.city if granted else "",
        requested_amount=amount,
        approved_amount=amount if granted else None,
        voucher_number=f"ISR-T-{company.pk}-{submitted:%m%d}" if granted else None,
        verified_amount=amount if status == Status.PAID else None,
        paid_at=paid,
        with_files=False,
        **extra,
    )
    vouchers.sync(application.pk)
    return application


def finished_report(**kwargs) -> Report:
    """A done report with a small stored PDF at its one fixed path, as report_build leaves it."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reporting.models import ReportStatus, report_file_path

    content = b"%PDF-1.4\n% test report\n%%EOF\n"
    report = ReportFactory(**kwargs)
    name = default_storage.save(report_file_path(report, ""), ContentFile(content))
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.DONE, file=name, checksum=hashlib.sha256(content).hexdigest(), page_count=1
    )
    report.refresh_from_db()
    return report


def failed_report(**kwargs) -> Report:
    from reporting.models import ReportStatus

    report = ReportFactory(**kwargs)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, failure_reason="Worker lost")
    report.refresh_from_db()
    return report


def annex_rows(count: int, *, aid: Decimal = Decimal("1000")) -> list[dict]:
    """``count`` rows of the supported companies' annex as ``selectors.report_data`` gives them."""
    return [
        {
            "name": f"Firma {number:04d} GmbH",
            "city_at_support": "Dortmund",
            "has_grant": True,
            "has_non_financial": False,
            "aid": aid,
        }
        for number in range(count)
    ]
