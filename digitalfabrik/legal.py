"""The public legal pages (imprint, privacy policy): text that administrators edit in the admin."""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_GET

from .models import LegalPage


def _legal_page(request, kind: str):
    page = get_object_or_404(LegalPage, kind=kind)
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
