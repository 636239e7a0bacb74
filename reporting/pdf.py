"""HTML → PDF with WeasyPrint: the report body in this process, the long annex in parallel helper processes.

WeasyPrint's cost grows with the number of boxes it lays out, so the annex uses a fixed table layout
with few cells per row and one small table per page (a known number of rows per page). That makes the
page numbers of every annex part known before rendering, so the parts are rendered in parallel and
joined with pypdf, with page numbers that continue from the report body.
"""

import base64
import io
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from programme.documents import document_context

from . import charts, methodology, tables
from .models import ReportKind
from .pdf_worker import html_to_pdf
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


class AnnexMode:
    """How the annex is rendered; the benchmark compares them, reports use LINES."""

    NAIVE = "naive"  # one auto-layout table with borders inside the body document
    FIXED = "fixed"  # one fixed-layout table with plain CSS inside the body document
    PARTS = "parts"  # fixed-layout tables of one-line rows, rendered part by part and joined with pypdf
    PARALLEL = "parallel"  # as PARTS, the parts rendered in parallel helper processes
    LINES = "lines"  # as PARALLEL, each row one line of monospaced columns (no table cells to lay out)


# Monospaced annex line: company, details, amount (characters; 109 fit the A4 text width at 7.5 pt).
LINE_COLUMNS = (46, 44, 17)


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int
    timings: dict = field(default_factory=dict)


def _processes() -> int:
    return int(os.environ.get("REPORT_RENDER_PROCESSES", os.cpu_count() or 1))


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
        details = f"{row['company__city']} · {row['voucher_number']} · {reporting_format.day(row['decided_at'])}"
        cells = (row["company__name"], details, reporting_format.euro(row["approved_amount"]))
    else:
        kinds = [str(_("voucher"))] * row["has_grant"] + [str(_("coaching"))] * row["has_non_financial"]
        cells = (row["name"], f"{row['city']} · {' + '.join(kinds)}", reporting_format.euro(row["aid"]))
    name, details, amount = (str(cell) for cell in cells)
    (name_width, details_width, amount_width) = LINE_COLUMNS
    return f"{_fit(name, name_width):<{name_width}} {_fit(details, details_width):<{details_width}}" + (
        f"{amount:>{amount_width}}"
    )


def _annex_parts(*, report, rows: list, lines: bool) -> list[str]:
    pages = _pages(rows, ANNEX_ROWS_PER_PAGE)
    header = _annex_line(report, None) if lines else ""
    parts = []
    for first in range(0, len(pages), ANNEX_PAGES_PER_PART):
        part_pages = pages[first : first + ANNEX_PAGES_PER_PART]
        context = {
            "report": report,
            "first_page_number": first + 1,
            "page_total": len(pages),
            "row_height": ANNEX_ROW_HEIGHT_MM,
        }
        if lines:
            context["pages"] = [[_annex_line(report, row) for row in page] for page in part_pages]
            context["header"] = header
            parts.append(render_to_string("reporting/pdf/annex_lines.html", context))
        else:
            context["rows"] = [row for page in part_pages for row in page]
            parts.append(render_to_string("reporting/pdf/annex_part.html", context))
    return parts


def annex_parts_html(*, report, data: dict) -> list[str]:
    """The annex as HTML documents of ANNEX_PAGES_PER_PART pages each, to be rendered anywhere and joined."""
    return _annex_parts(report=report, rows=_annex_rows(data), lines=True)


def render_body_pdf(*, report, data: dict, annex_mode: str = AnnexMode.LINES) -> tuple[bytes, int]:
    """The report without its annex parts (with the annex inline in the NAIVE and FIXED modes): (PDF, pages)."""
    rows = _annex_rows(data)
    inline_annex = annex_mode in (AnnexMode.NAIVE, AnnexMode.FIXED)
    context = {
        **document_context(),
        "report": report,
        "data": data,
        "charts": _chart_uris(data),
        "tables": tables.figure_tables(data),
        "methods": methodology.METHODS,
        "generated_at": timezone.localtime(),
        "annex_mode": annex_mode,
        "annex_rows": rows if inline_annex else [],
        "annex_count": len(rows),
        "sections": sections_for(report.kind),
    }
    body = HTML(string=render_to_string("reporting/pdf/report.html", context)).render()
    return body.write_pdf(), len(body.pages)


def join_pdfs(contents: list[bytes]) -> tuple[bytes, int]:
    """The documents one after the other: (PDF, pages)."""
    writer = PdfWriter()
    for content in contents:
        writer.append(PdfReader(io.BytesIO(content)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), len(writer.pages)


def render_report_pdf(*, report, data: dict, annex_mode: str = AnnexMode.LINES) -> RenderedPdf:
    """The whole report in this process, its annex parts in parallel helper processes (the benchmark's modes).

    The annex pages are numbered on their own ("Annex, page 3 of 70"). Reports built by the workers
    spread the parts over the workers instead (services.report_build).
    """
    timings = {}
    started = time.monotonic()
    rows = _annex_rows(data)
    inline_annex = annex_mode in (AnnexMode.NAIVE, AnnexMode.FIXED)
    parts = [] if inline_annex else _annex_parts(report=report, rows=rows, lines=annex_mode == AnnexMode.LINES)
    timings["annex_html"] = round(time.monotonic() - started, 3)

    pool = None
    if annex_mode in (AnnexMode.PARALLEL, AnnexMode.LINES) and len(parts) > 1:
        # Forked helpers share WeasyPrint already loaded here; they only turn HTML into PDF bytes and
        # leave with os._exit, so the database connection they inherit is never used or closed.
        mp_context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=min(_processes(), len(parts)), mp_context=mp_context)
    try:
        # The helpers render the annex while this process renders the body.
        pending = [pool.submit(html_to_pdf, part) for part in parts] if pool else []

        step = time.monotonic()
        body_pdf, body_pages = render_body_pdf(report=report, data=data, annex_mode=annex_mode)
        timings["body"] = round(time.monotonic() - step, 3)

        step = time.monotonic()
        part_pdfs = [future.result() for future in pending] if pool else [html_to_pdf(part) for part in parts]
        timings["annex_wait" if pool else "annex"] = round(time.monotonic() - step, 3)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    if not part_pdfs:
        return RenderedPdf(body_pdf, body_pages, timings)

    step = time.monotonic()
    content, page_count = join_pdfs([body_pdf, *part_pdfs])
    timings["join"] = round(time.monotonic() - step, 3)
    return RenderedPdf(content, page_count, timings)
