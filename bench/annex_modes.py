"""The annex layouts the report benchmark compares (bench/bench_report.py); the portal's reports use LINES only.

Moved out of reporting/pdf.py so the portal holds just the layout it uses. Every mode renders the
whole report in this process (the workers spread the LINES parts instead: reporting.services):

- NAIVE: one auto-layout table with borders inside the body document;
- FIXED: one fixed-layout table with plain CSS inside the body document;
- PARTS: fixed-layout tables of one-line rows, rendered part by part and joined with pypdf;
- PARALLEL: as PARTS, the parts rendered in parallel helper processes;
- LINES: as PARALLEL, each row one line of monospaced columns (reporting.pdf.annex_parts_html).

The table layouts' templates are in bench/templates/bench/.
"""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.template.backends.django import DjangoTemplates
from weasyprint import HTML

from reporting import pdf
from reporting.pdf_worker import html_to_pdf


class AnnexMode:
    NAIVE = "naive"
    FIXED = "fixed"
    PARTS = "parts"
    PARALLEL = "parallel"
    LINES = "lines"


INLINE = (AnnexMode.NAIVE, AnnexMode.FIXED)


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int
    timings: dict = field(default_factory=dict)


@cache
def _templates() -> DjangoTemplates:
    """The portal's templates plus bench/templates (the bench is not an app, so it brings its own engine)."""
    directory = Path(__file__).resolve().parent / "templates"
    return DjangoTemplates({"NAME": "bench", "DIRS": [directory], "APP_DIRS": True, "OPTIONS": {}})


def _render(name: str, context: dict) -> str:
    return _templates().get_template(name).render(context)


def _processes() -> int:
    return int(os.environ.get("REPORT_RENDER_PROCESSES", os.cpu_count() or 1))


def _table_parts(*, report, rows: list) -> list[str]:
    pages = pdf._pages(rows, pdf.ANNEX_ROWS_PER_PAGE)
    parts = []
    for first in range(0, len(pages), pdf.ANNEX_PAGES_PER_PART):
        part_pages = pages[first : first + pdf.ANNEX_PAGES_PER_PART]
        context = {
            "report": report,
            "first_page_number": first + 1,
            "page_total": len(pages),
            "row_height": pdf.ANNEX_ROW_HEIGHT_MM,
            "rows": [row for page in part_pages for row in page],
        }
        parts.append(_render("bench/pdf/annex_part.html", context))
    return parts


def _body_pdf(*, report, data: dict, annex_mode: str) -> tuple[bytes, int]:
    if annex_mode not in INLINE:
        return pdf.render_body_pdf(report=report, data=data)
    context = pdf.body_context(report=report, data=data) | {
        "annex_mode": annex_mode,
        "annex_rows": pdf._annex_rows(data),
    }
    body = HTML(string=_render("bench/pdf/report_inline_annex.html", context)).render()
    return body.write_pdf(), len(body.pages)


def render_report_pdf(*, report, data: dict, annex_mode: str = AnnexMode.LINES) -> RenderedPdf:
    """The whole report in this process, its annex parts in parallel helper processes where the mode says so.

    The annex pages are numbered on their own ("Annex, page 3 of 70").
    """
    timings = {}
    started = time.monotonic()
    if annex_mode in INLINE:
        parts = []
    elif annex_mode == AnnexMode.LINES:
        parts = pdf.annex_parts_html(report=report, data=data)
    else:
        parts = _table_parts(report=report, rows=pdf._annex_rows(data))
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
        body_pdf, body_pages = _body_pdf(report=report, data=data, annex_mode=annex_mode)
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
    content, page_count = pdf.join_pdfs([body_pdf, *part_pdfs])
    timings["join"] = round(time.monotonic() - step, 3)
    return RenderedPdf(content, page_count, timings)
