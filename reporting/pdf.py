"""HTML → PDF with WeasyPrint: the report body, and the long annex as parts that the workers render in parallel.

WeasyPrint's cost grows with the number of boxes it lays out, so each annex row is one line of
monospaced columns and a page holds a known number of them. That makes the page numbers of every
annex part known before rendering, so the parts are rendered in parallel (services.report_build) and
joined with pypdf. The other annex layouts the benchmark compares live in bench/annex_modes.py.
"""

import base64
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from programme.documents import document_context

from . import charts, methodology, tables
from .models import ReportKind
from .templatetags import reporting_format

# Annex geometry: every row is one line of fixed height, so a page holds a known number of rows and
# the parts' page numbers are known before any of them is rendered.
PAGE_CONTENT_HEIGHT_MM = 297 - 20 - 22
ANNEX_ROW_HEIGHT_MM = 3.6
ANNEX_ROWS_PER_PAGE = int(PAGE_CONTENT_HEIGHT_MM // ANNEX_ROW_HEIGHT_MM) - 1  # one line for the repeated header
# Smaller parts spread a report over more workers (each part is one task, see services.report_build).
ANNEX_PAGES_PER_PART = settings.REPORT_ANNEX_PAGES_PER_PART


@dataclass(frozen=True)
class Section:
    key: str
    title: str

    @property
    def template(self) -> str:
        return f"reporting/pdf/_section_{self.key}.html"


SECTION_TITLES = {
    "indicators": _("Output indicators"),
    "programme": _("Coaching, projects and events"),
    "vouchers": _("InnoScheck vouchers"),
    "budget": _("Financial progress"),
    "voucher_list": _("Vouchers one by one"),
    "methodology": _("Methodology annex"),
}
# What each kind of report shows before its annex, in order.
SECTIONS = {
    ReportKind.INDICATORS: ["indicators", "programme", "vouchers", "budget", "methodology"],
    ReportKind.FINANCIAL: ["budget", "vouchers", "voucher_list", "methodology"],
    ReportKind.DE_MINIMIS: ["vouchers", "methodology"],
}


def sections_for(kind: str) -> list[Section]:
    return [Section(key, str(SECTION_TITLES[key])) for key in SECTIONS[kind]]


# Monospaced annex line: company, details, amount (characters; 109 fit the A4 text width at 7.5 pt).
LINE_COLUMNS = (46, 44, 17)


def _chart_uris(data: dict) -> dict[str, str]:
    return {
        name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
        for name, svg in charts.render_charts(data).items()
    }


def _annex_rows(data: dict) -> list[dict]:
    return data.get("register") or data.get("annex") or []


def _pages(rows: list, per_page: int) -> list[list]:
    return [rows[index : index + per_page] for index in range(0, len(rows), per_page)]


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _annex_line(report, row: dict | None) -> str:
    """One annex row as fixed-width columns; ``None`` gives the header line."""
    if row is None:
        if report.kind == ReportKind.DE_MINIMIS:
            cells = (_("Company"), _("City · voucher · approved on"), _("Aid"))
        else:
            cells = (_("Company"), _("City · support"), _("Aid"))
    elif "voucher_number" in row:
        details = f"{row['support_city']} · {row['voucher_number']} · {reporting_format.day(row['approved_at'])}"
        cells = (row["company__name"], details, reporting_format.euro(row["approved_amount"]))
    else:
        kinds = [str(_("voucher"))] * row["has_grant"] + [str(_("coaching"))] * row["has_non_financial"]
        cells = (row["name"], f"{row['city_at_support']} · {' + '.join(kinds)}", reporting_format.euro(row["aid"]))
    name, details, amount = (str(cell) for cell in cells)
    (name_width, details_width, amount_width) = LINE_COLUMNS
    return f"{_fit(name, name_width):<{name_width}} {_fit(details, details_width):<{details_width}}" + (
        f"{amount:>{amount_width}}"
    )


def _annex_parts(*, report, rows: list) -> list[str]:
    pages = _pages(rows, ANNEX_ROWS_PER_PAGE)
    header = _annex_line(report, None)
    parts = []
    for first in range(0, len(pages), ANNEX_PAGES_PER_PART):
        part_pages = pages[first : first + ANNEX_PAGES_PER_PART]
        context = {
            "report": report,
            "first_page_number": first + 1,
            "page_total": len(pages),
            "row_height": ANNEX_ROW_HEIGHT_MM,
            "pages": [[_annex_line(report, row) for row in page] for page in part_pages],
            "header": header,
        }
        parts.append(render_to_string("reporting/pdf/annex_lines.html", context))
    return parts


def annex_parts_html(*, report, data: dict) -> list[str]:
    """The annex as HTML documents of ANNEX_PAGES_PER_PART pages each, to be rendered anywhere and joined."""
    return _annex_parts(report=report, rows=_annex_rows(data))


def body_context(*, report, data: dict) -> dict:
    """What reporting/pdf/report.html shows: everything but the annex rows (they come in parts)."""
    return {
        **document_context(),
        "report": report,
        "data": data,
        "charts": _chart_uris(data),
        "tables": tables.figure_tables(data),
        "methods": methodology.METHODS,
        "generated_at": timezone.localtime(),
        "annex_count": len(_annex_rows(data)),
        "sections": sections_for(report.kind),
    }


def render_body_pdf(*, report, data: dict) -> tuple[bytes, int]:
    """The report without its annex parts: (PDF, pages)."""
    body = HTML(string=render_to_string("reporting/pdf/report.html", body_context(report=report, data=data))).render()
    return body.write_pdf(), len(body.pages)


def join_pdfs(contents: list[bytes]) -> tuple[bytes, int]:
    """The documents one after the other: (PDF, pages)."""
    writer = PdfWriter()
    for content in contents:
        writer.append(PdfReader(io.BytesIO(content)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), len(writer.pages)
