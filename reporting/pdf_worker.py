"""Renders one HTML document to PDF bytes in a helper process.

Deliberately free of Django: the helpers are forked from a worker that holds database connections
and must not touch them.
"""

from weasyprint import HTML


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
