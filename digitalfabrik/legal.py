"""The public legal pages (imprint, privacy policy): text that administrators edit in the admin."""

from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_GET

from .legal_texts import DEFAULT_PAGES
from .models import LegalPage


def _legal_page(request, kind: str):
    page = LegalPage.objects.filter(kind=kind).first()
    if page is None:
        # The law wants the page reachable: without its row (a fresh test database) the default text.
        page = LegalPage(**next(default for default in DEFAULT_PAGES if default["kind"] == kind))
    language = translation.get_language() or "de"
    return render(
        request, "legal/page.html", {"page": page, "title": page.title(language), "text": page.text(language)}
    )


@require_GET
def imprint(request):
    """Open to everyone: the provider's identification the law requires (§ 5 DDG)."""
    return _legal_page(request, LegalPage.Kind.IMPRINT)


@require_GET
def privacy_policy(request):
    """Open to everyone: how the portal processes personal data (Art. 13 GDPR)."""
    return _legal_page(request, LegalPage.Kind.PRIVACY)


app_name = "legal"
urlpatterns = [
    path("imprint/", imprint, name="imprint"),
    path("privacy-policy/", privacy_policy, name="privacy_policy"),
]
