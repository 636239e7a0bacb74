"""Who may do what with reports.

- The figures (indicator dashboard, charts, exports): programme staff, administrators and funders. The
  figures are the programme's; the row-by-row exports list only the companies a user looks after.
- The PDF funding reports: funders, administrators and the lead partner's staff, the people who read the
  whole programme. A report names companies of every partner (the annex of supported companies, the
  de-minimis register, the vouchers one by one), so another partner's staff would read companies they do
  not look after (companies.scope).
"""

from django.db.models import Q

from accounts import permissions as roles
from companies.scope import scope_q, sees_whole_programme

from .models import Report, ReportStatus


def can_use_reports(user) -> bool:
    """The figures: indicator dashboard, charts and exports."""
    return roles.can_view_reports(user)


def can_read_reports(user) -> bool:
    """The PDF funding reports and their list."""
    return roles.is_funder(user) or sees_whole_programme(user)


def can_request_report(user) -> bool:
    return can_read_reports(user)


def can_view_report(user, report: Report) -> bool:
    return can_read_reports(user)


def can_download_report(user, report: Report) -> bool:
    return can_read_reports(user) and report.status == ReportStatus.DONE


def can_retry_report(user, report: Report) -> bool:
    return can_read_reports(user) and report.status == ReportStatus.FAILED


def can_send_again(user, report: Report) -> bool:
    """A report still queued that no worker has started: its task may be sent once more."""
    from .services import report_waiting_for_worker

    return can_read_reports(user) and report_waiting_for_worker(report)


def can_see_download_log(user, report: Report) -> bool:
    return roles.is_programme_staff(user)


def export_rows_q(user, *, company: str = "") -> Q:
    """Which companies a row-by-row export (vouchers, supported companies) lists: the whole programme
    for funders, who report on it; for staff the companies they look after (companies.scope), so a
    partner's staff never read another partner's companies there."""
    return Q() if roles.is_funder(user) else scope_q(user, company=company)
