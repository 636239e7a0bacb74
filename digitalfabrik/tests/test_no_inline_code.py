"""The strict Content-Security-Policy forbids inline scripts, inline event handlers and style attributes.

This scans every template of the portal (not of third-party packages) so a violation fails in CI
rather than as a silently broken page in production. Templates under a ``pdf/`` folder are rendered
by WeasyPrint into PDF files, never served as pages, and may carry their own <style>.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html")
    for path in ROOT.glob(pattern)
    if not {".venv", "node_modules", "pdf"} & set(path.parts)
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"href\s*=\s*[\"']\s*javascript:", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert any(path.name == "base.html" for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=[str(path.relative_to(ROOT)) for path in TEMPLATES])
def test_template_has_no_inline_code(path):
    source = path.read_text()
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("inline event handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        match = pattern.search(source)
        assert match is None, f"{path.relative_to(ROOT)}: {name} at offset {match.start()} (blocked by the CSP)"
