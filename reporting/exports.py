"""CSV and XLSX exports of the indicator table, vouchers and supported companies, filtered like the screens."""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from innoscheck.models import Application

from . import indicators
from .indicators import Range

DATASETS = ("indicators", "vouchers", "companies")
FORMATS = ("csv", "xlsx")


def _indicator_rows(*, phase, period: Range) -> Iterator[list]:
    yield [_("RCO (2021–2027)"), _("CO (2014–2020)"), _("Indicator"), _("Period"), _("Cumulative")]
    for row in indicators.indicator_table(phase=phase, period=period):
        yield [row.code_2021, row.code_2014, row.label, row.period, row.cumulative]
    cumulative = indicators.cumulative_range(phase=phase, period=period)
    current, total = indicators.coaching_figures(period=period), indicators.coaching_figures(period=cumulative)
    labels = {
        "people_reached": _("People reached (distinct persons)"),
        "sessions_held": _("Coaching sessions held"),
        "events": _("Events"),
        "event_participants": _("Event participants"),
        "projects": _("Projects"),
    }
    for key, label in labels.items():
        yield ["", "", label, current[key], total[key]]
    vouchers = indicators.voucher_totals(phase=phase, period=period)
    vouchers_total = indicators.voucher_totals(phase=phase, period=cumulative)
    voucher_labels = {
        "submitted": _("Vouchers submitted"),
        "approved": _("Vouchers approved"),
        "rejected": _("Vouchers rejected"),
        "paid": _("Vouchers paid"),
        "approved_amount": _("Approved amount (EUR)"),
        "paid_amount": _("Paid amount (EUR)"),
    }
    for key, label in voucher_labels.items():
        yield ["", "", label, vouchers[key], vouchers_total[key]]


def _voucher_rows(*, phase, period: Range) -> Iterator[list]:
    window = (period.start, period.end)
    yield [
        _("Voucher number"),
        _("Company"),
        _("City"),
        _("Topic"),
        _("Partner"),
        _("Status"),
        _("Submitted"),
        _("Decided"),
        _("Approved amount (EUR)"),
        _("Paid"),
        _("Paid amount (EUR)"),
    ]
    vouchers = (
        Application.objects.filter(phase=phase)
        .filter(
            Q(submitted_at__date__range=window) | Q(decided_at__date__range=window) | Q(paid_at__date__range=window)
        )
        .select_related("company", "partner")
        .order_by("submitted_at", "pk")
    )
    for voucher in vouchers.iterator(chunk_size=2000):
        yield [
            voucher.voucher_number or "",
            voucher.company.name,
            voucher.company.city,
            voucher.get_topic_display(),
            voucher.partner.short_name if voucher.partner else "",
            voucher.get_status_display(),
            voucher.submitted_at,
            voucher.decided_at,
            voucher.approved_amount,
            voucher.paid_at,
            voucher.verified_amount if voucher.paid_at else None,
        ]


def _company_rows(*, phase, period: Range) -> Iterator[list]:
    yield [
        _("Company"),
        _("City"),
        _("SME class"),
        _("Founded"),
        _("Voucher"),
        _("Coaching"),
        _("Aid (EUR)"),
    ]
    for row in indicators.supported_companies_annex(phase=phase, period=period).iterator(chunk_size=2000):
        yield [
            row["name"],
            row["city"],
            row["size_class"],
            row["founding_year"],
            row["has_grant"],
            row["has_non_financial"],
            row["aid"],
        ]


def rows(*, dataset: str, phase, period: Range) -> Iterator[list]:
    return {"indicators": _indicator_rows, "vouchers": _voucher_rows, "companies": _company_rows}[dataset](
        phase=phase, period=period
    )


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return number_format(value, 2)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(table: Iterable[list]) -> Iterator[str]:
    """CSV for spreadsheet programmes set to German: semicolons, decimal commas, a UTF-8 BOM."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for row in table:
        yield writer.writerow([_text(value) for value in row])


def xlsx_file(table: Iterable[list]):
    """The rows as an XLSX workbook written row by row (openpyxl write-only) into a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Export"))
    for row in table:
        sheet.append([_plain(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    workbook.save(handle)
    handle.seek(0)
    return handle
