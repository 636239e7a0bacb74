"""The reports' part of a person's data export and erasure (accounts.privacy; registered in
ReportingConfig.ready()).

Erasure leaves the download log: it names the account, whose own data accounts.privacy erases. The
maintained contacts of the people reached (reporting.contacts) get the same pseudonym as the session
and event records they are taken from, so every figure stays as it was.
"""

from accounts.privacy import Export, Part, Subject, person_pseudonym_email

from .models import FirstContact, PersonContact, ReportDownload


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
    """The log keeps which (now pseudonymous) account downloaded what; the contacts are pseudonymised."""
    for email in subject.emails:
        pseudonym = person_pseudonym_email(email).lower()
        PersonContact.objects.filter(email=email.lower()).update(email=pseudonym)
        FirstContact.objects.filter(email=email.lower()).update(email=pseudonym)


PART = Part(name="reporting", export=export, erase=erase)
