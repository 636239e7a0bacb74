"""The report's figure tables, built once from the report data.

The PDF report renders these tables and the indicator export (CSV, XLSX) writes the very same rows,
so a figure in the PDF is always in the export, with the same label and unit.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .templatetags import reporting_format

COUNT, MONEY, DAYS, PERCENT = "count", "money", "days", "percent"


def unit_label(unit: str) -> str:
    return {COUNT: "", MONEY: "EUR", DAYS: _("days"), PERCENT: "%"}[unit]


@dataclass(frozen=True)
class Column:
    heading: str
    # The unit of every cell of the column; None when each row states its own (FigureRow.unit).
    unit: str | None = None


@dataclass(frozen=True)
class Cell:
    value: object
    unit: str

    @property
    def text(self) -> str:
        return format_figure(self.value, self.unit)


@dataclass(frozen=True)
class FigureRow:
    label: str
    values: tuple
    unit: str | None = None
    codes: tuple[str, str] | None = None
    key: str = ""

    def cells(self, columns: tuple[Column, ...]) -> list[Cell]:
        pairs = zip(self.values, columns, strict=True)
        return [Cell(value, self.unit or column.unit or COUNT) for value, column in pairs]


@dataclass(frozen=True)
class FigureTable:
    key: str
    title: str
    label_heading: str
    columns: tuple[Column, ...]
    rows: list[FigureRow] = field(default_factory=list)
    # RCO and CO codes in front of the label (the output indicators).
    with_codes: bool = False
    empty_text: str = ""

    @property
    def lines(self) -> list[tuple[FigureRow, list[Cell]]]:
        return [(row, row.cells(self.columns)) for row in self.rows]

    @property
    def width(self) -> int:
        return 1 + len(self.columns) + 2 * self.with_codes


def format_figure(value, unit: str) -> str:
    """A figure as the report's language writes it, with its unit (German: 1.234,56 €, 12,5 Tage, 4,2 %)."""
    if value is None or value == "":
        return "–"
    if unit == MONEY:
        return reporting_format.euro(value)
    if unit == DAYS:
        return reporting_format.days(value)
    if unit == PERCENT:
        return f"{reporting_format.num(value, 1)}\u00a0%"
    return reporting_format.num(value)


def _period_columns() -> tuple[Column, Column]:
    return (Column(_("Period")), Column(_("Cumulative")))


def _indicator_table(data: dict) -> FigureTable:
    return FigureTable(
        key="indicators",
        title=_("Output indicators"),
        label_heading=_("Indicator"),
        columns=_period_columns(),
        rows=[
            FigureRow(row.label, (row.period, row.cumulative), COUNT, (row.code_2021, row.code_2014), row.key)
            for row in data["indicators"]
        ],
        with_codes=True,
    )


def _programme_table(data: dict) -> FigureTable:
    labels = {
        "people_reached": _("People reached (distinct persons)"),
        "sessions_held": _("Coaching sessions held"),
        "companies_coached": _("Companies coached"),
        "events": _("Events"),
        "event_registrations": _("Event registrations"),
        "event_participants": _("Event participants"),
        "projects": _("Projects"),
        "project_companies": _("Companies in projects"),
    }
    current, cumulative = data["coaching"], data["coaching_cumulative"]
    return FigureTable(
        key="programme",
        title=_("Coaching, projects and events"),
        label_heading=_("Figure"),
        columns=_period_columns(),
        rows=[FigureRow(label, (current[key], cumulative[key]), COUNT, key=key) for key, label in labels.items()],
    )


def _voucher_labels() -> dict[str, tuple[str, str]]:
    return {
        "submitted": (_("Vouchers submitted"), COUNT),
        "approved": (_("Vouchers approved"), COUNT),
        "rejected": (_("Vouchers rejected"), COUNT),
        "paid": (_("Vouchers paid"), COUNT),
        "approved_amount": (_("Approved amount"), MONEY),
        "paid_amount": (_("Paid amount"), MONEY),
    }


def _voucher_table(data: dict) -> FigureTable:
    current, cumulative = data["vouchers"], data["vouchers_cumulative"]
    rows = [
        FigureRow(label, (current[key], cumulative[key]), unit, key=key)
        for key, (label, unit) in _voucher_labels().items()
    ]
    rows.append(
        FigureRow(
            _("Median time from submission to decision"),
            (data["median_days"], data["median_days_cumulative"]),
            DAYS,
            key="median_days",
        )
    )
    return FigureTable(
        key="vouchers",
        title=_("InnoScheck vouchers"),
        label_heading=_("Figure"),
        columns=_period_columns(),
        rows=rows,
    )


def _breakdown_table(data: dict, by: str) -> FigureTable:
    titles = {"topic": _("By topic"), "city": _("By city"), "partner": _("By partner")}
    columns = (
        Column(_("submitted"), COUNT),
        Column(_("approved"), COUNT),
        Column(_("rejected"), COUNT),
        Column(_("paid"), COUNT),
        Column(_("approved amount"), MONEY),
        Column(_("paid amount"), MONEY),
    )
    keys = ("submitted", "approved", "rejected", "paid", "approved_amount", "paid_amount")
    return FigureTable(
        key=f"by_{by}",
        title=f"{_('InnoScheck vouchers')}: {titles[by]}",
        label_heading=titles[by],
        columns=columns,
        rows=[
            FigureRow(row["label"], tuple(row[key] for key in keys), key=str(row["key"])) for row in data[f"by_{by}"]
        ],
        empty_text=_("No vouchers in this period."),
    )


def _budget_table(data: dict) -> FigureTable:
    budget = data["budget"]
    rows = [
        ("total_budget", _("Total budget of the phase"), MONEY),
        ("voucher_budget", _("Voucher budget"), MONEY),
        ("reserved", _("Reserved (approved, not yet paid)"), MONEY),
        ("paid", _("Paid"), MONEY),
        ("free", _("Free"), MONEY),
        ("committed_share", _("Committed share"), PERCENT),
        ("forecast_committed", _("Linear forecast of commitments at phase end"), MONEY),
        ("forecast_share", _("Linear forecast as share of the voucher budget"), PERCENT),
    ]
    as_of = reporting_format.day(data["as_of"])
    return FigureTable(
        key="budget",
        title=_("Financial progress"),
        label_heading=_("Figure"),
        columns=(Column(_("As of %(date)s") % {"date": as_of}),),
        rows=[FigureRow(label, (budget[key],), unit, key=key) for key, label, unit in rows],
    )


def figure_tables(data: dict) -> dict[str, list[FigureTable]]:
    """Every figure table of the report, per report section (in the active language)."""
    return {
        "indicators": [_indicator_table(data)],
        "programme": [_programme_table(data)],
        "vouchers": [_voucher_table(data), *(_breakdown_table(data, by) for by in ("topic", "city", "partner"))],
        "budget": [_budget_table(data)],
    }
