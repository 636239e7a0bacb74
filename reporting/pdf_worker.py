"""Renders one HTML document to PDF bytes in a helper process.

Deliberately free of Django: the helper processes are started fresh (forkserver), never forked from
a worker holding database connections, and need nothing but WeasyPrint.
"""

from weasyprint import HTML


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
