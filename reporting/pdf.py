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

from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from . import charts
from .pdf_worker import html_to_pdf

ANNEX_ROWS_PER_PAGE = 46
ANNEX_PAGES_PER_PART = 15


class AnnexMode:
    """How the annex is rendered; the benchmark compares them, reports use PARALLEL."""

    NAIVE = "naive"  # one auto-layout table with borders inside the body document
    FIXED = "fixed"  # one fixed-layout table with plain CSS inside the body document
    PARTS = "parts"  # one small table per page, rendered part by part and joined with pypdf
    PARALLEL = "parallel"  # as PARTS, the parts rendered in parallel helper processes


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


def render_report_pdf(*, report, data: dict, annex_mode: str = AnnexMode.PARALLEL) -> RenderedPdf:
    timings = {}
    started = time.monotonic()
    rows = _annex_rows(data)
    inline_annex = annex_mode in (AnnexMode.NAIVE, AnnexMode.FIXED)
    context = {
        "report": report,
        "data": data,
        "charts": _chart_uris(data),
        "generated_at": timezone.localtime(),
        "annex_mode": annex_mode,
        "annex_rows": rows if inline_annex else [],
        "annex_count": len(rows),
    }
    timings["charts"] = round(time.monotonic() - started, 3)

    step = time.monotonic()
    body = HTML(string=render_to_string("reporting/pdf/report.html", context)).render()
    body_pages = len(body.pages)
    body_pdf = body.write_pdf()
    timings["body"] = round(time.monotonic() - step, 3)
    if inline_annex or not rows:
        return RenderedPdf(body_pdf, body_pages, timings)

    step = time.monotonic()
    pages = _pages(rows, ANNEX_ROWS_PER_PAGE)
    parts = []
    for first in range(0, len(pages), ANNEX_PAGES_PER_PART):
        part_pages = pages[first : first + ANNEX_PAGES_PER_PART]
        parts.append(
            render_to_string(
                "reporting/pdf/annex_part.html",
                {
                    "report": report,
                    "pages": part_pages,
                    "first_page_number": body_pages + first + 1,
                    "first_row_number": first * ANNEX_ROWS_PER_PAGE + 1,
                },
            )
        )
    timings["annex_html"] = round(time.monotonic() - step, 3)

    step = time.monotonic()
    if annex_mode == AnnexMode.PARALLEL and len(parts) > 1:
        # forkserver: helpers start clean instead of inheriting this worker's database connections.
        mp_context = multiprocessing.get_context("forkserver")
        mp_context.set_forkserver_preload(["reporting.pdf_worker"])
        with ProcessPoolExecutor(max_workers=min(_processes(), len(parts)), mp_context=mp_context) as pool:
            part_pdfs = list(pool.map(html_to_pdf, parts))
    else:
        part_pdfs = [html_to_pdf(part) for part in parts]
    timings["annex"] = round(time.monotonic() - step, 3)

    step = time.monotonic()
    writer = PdfWriter()
    for content in [body_pdf, *part_pdfs]:
        writer.append(PdfReader(io.BytesIO(content)))
    output = io.BytesIO()
    writer.write(output)
    timings["join"] = round(time.monotonic() - step, 3)
    return RenderedPdf(output.getvalue(), body_pages + len(pages), timings)
