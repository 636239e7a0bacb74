"""CSV and XLSX exports of the indicator table, vouchers and supported companies, filtered like the screens."""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from companies.models import Company
from innoscheck.models import Application
from programme.choices import SizeClass

from . import indicators, permissions, selectors, tables
from .indicators import Range
from .tables import Cell

DATASETS = ("indicators", "vouchers", "companies")
FORMATS = ("csv", "xlsx")


def _indicator_rows(*, phase, period: Range) -> Iterator[list]:
    """Every figure table of the indicator report, one block each (title, header, rows, blank line),
    built by the same function as the PDF's tables."""
    data = selectors.dashboard_data(phase=phase, period=period)
    for section_tables in tables.figure_tables(data).values():
        for table in section_tables:
            row_units = any(row.unit for row in table.rows)
            yield [table.title]
            yield [
                *((_("RCO (2021–2027)"), _("CO (2014–2020)")) if table.with_codes else ()),
                table.label_heading,
                *(_column_heading(column) for column in table.columns),
                *((_("Unit"),) if row_units else ()),
            ]
            for row, cells in table.lines:
                yield [
                    *(row.codes if table.with_codes else ()),
                    row.label,
                    *cells,
                    *((tables.unit_label(row.unit or tables.COUNT),) if row_units else ()),
                ]
            yield []


def _column_heading(column: tables.Column) -> str:
    unit = tables.unit_label(column.unit) if column.unit else ""
    return f"{column.heading} ({unit})" if unit else column.heading


def _voucher_rows(*, phase, period: Range, companies: Q) -> Iterator[list]:
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
        _("Grant withdrawn on"),
    ]
    vouchers = (
        Application.objects.filter(phase=phase)
        .filter(companies)
        .filter(
            Q(submitted_at__date__range=window)
            | Q(decided_at__date__range=window)
            | Q(paid_at__date__range=window)
            | Q(grant_withdrawn_at__date__range=window)
        )
        .select_related("company", "partner")
        .order_by("submitted_at", "pk")
    )
    for voucher in vouchers.iterator(chunk_size=2000):
        yield [
            voucher.voucher_number or "",
            voucher.company.name,
            # The city at approval, as in the figures by city; the current one for vouchers not approved.
            voucher.support_city or voucher.company.city,
            voucher.get_topic_display(),
            voucher.partner.short_name if voucher.partner else "",
            voucher.get_status_display(),
            voucher.submitted_at,
            voucher.decided_at,
            Cell(voucher.approved_amount, tables.MONEY),
            voucher.paid_at,
            Cell(voucher.verified_amount if voucher.paid_at else None, tables.MONEY),
            voucher.grant_withdrawn_at,
        ]


def _company_rows(*, phase, period: Range, companies: Q) -> Iterator[list]:
    yield [
        _("Company"),
        _("City"),
        _("SME class"),
        _("Founded"),
        _("Voucher"),
        _("Coaching"),
        _("Aid (EUR)"),
    ]
    listed = None if companies == Q() else set(Company.objects.filter(companies).values_list("pk", flat=True))
    for row in indicators.supported_companies_annex(phase=phase, period=period).iterator(chunk_size=2000):
        if listed is not None and row["pk"] not in listed:
            continue
        yield [
            row["name"],
            # At the time of the support, as in the figures (the company may have moved or grown since).
            row["city_at_support"],
            _size_class_label(row["size_at_support"]),
            row["founding_year"],
            # bool(): SQLite (make run) gives the flags as 0/1.
            bool(row["has_grant"]),
            bool(row["has_non_financial"]),
            Cell(row["aid"], tables.MONEY),
        ]


def _size_class_label(code: str) -> str:
    return str(SizeClass(code).label) if code in SizeClass.values else ""


def rows(*, dataset: str, phase, period: Range, user) -> Iterator[list]:
    """The export's rows. The indicator figures are the programme's; the vouchers and companies are
    those ``user`` may read row by row (``permissions.export_rows_q``)."""
    if dataset == "indicators":
        return _indicator_rows(phase=phase, period=period)
    if dataset == "vouchers":
        return _voucher_rows(phase=phase, period=period, companies=permissions.export_rows_q(user, company="company__"))
    return _company_rows(phase=phase, period=period, companies=permissions.export_rows_q(user))


# A text starting with one of these is a formula to a spreadsheet programme (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DECIMALS = {tables.COUNT: 0, tables.MONEY: 2, tables.DAYS: 1, tables.PERCENT: 1}
XLSX_FORMATS = {
    tables.COUNT: "#,##0",
    tables.MONEY: '#,##0.00 "€"',
    tables.DAYS: "#,##0.0",
    tables.PERCENT: "0.0 %",
}


def _is_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _day(value) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _text(value) -> str:
    """A CSV cell for spreadsheet programmes set to German: decimal commas, dd.mm.yyyy, quoted formulas."""
    if value is None:
        return ""
    if isinstance(value, Cell):
        return "" if value.value is None else number_format(value.value, DECIMALS[value.unit], force_grouping=True)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return number_format(value, 2, force_grouping=True)
    if isinstance(value, datetime.date):
        return _day(value).strftime("%d.%m.%Y")
    text = str(value)
    return f"'{text}" if _is_formula(text) else text


def _xlsx_cell(sheet, value):
    """A typed XLSX cell: numbers with their unit's number format, dates as dates, every text as text."""
    if isinstance(value, Cell):
        if value.value is None:
            return None
        number = value.value / 100 if value.unit == tables.PERCENT else value.value
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = XLSX_FORMATS[value.unit]
        return cell
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=_day(value))
        cell.number_format = "DD.MM.YYYY" if get_language().startswith("de") else "YYYY-MM-DD"
        return cell
    if isinstance(value, str) and _is_formula(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would store it as a formula
        cell.quotePrefix = True
        return cell
    return value


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
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    workbook.save(handle)
    handle.seek(0)
    return handle
