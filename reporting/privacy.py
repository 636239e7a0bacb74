"""The reports' part of a person's data export (accounts.privacy; registered in ReportingConfig.ready()).

Erasure leaves the download log: it names the account, whose own data accounts.privacy erases.
"""

from accounts.privacy import Export, Part, Subject

from .models import ReportDownload


def export(subject: Subject) -> Export:
    downloads = ReportDownload.objects.filter(user=subject.user).select_related("report").order_by("at", "pk")
    return Export(
        {
            "report_downloads.json": [
                {
                    "report_id": download.report_id,
                    "report": str(download.report),
                    "kind": download.report.kind,
                    "period_start": download.report.period_start,
                    "period_end": download.report.period_end,
                    "downloaded_at": download.at,
                }
                for download in downloads
            ]
        }
    )


def erase(subject: Subject) -> None:
    """Nothing beyond the account: the log keeps which (now pseudonymous) account downloaded what."""


PART = Part(name="reporting", export=export, erase=erase)
