from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Digitale Fabrik – administration")
admin.site.site_title = _("Digitale Fabrik")


def favicon(request):
    """The static SVG's URL is looked up per request: production's manifest may not exist at import."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("companies/", include("companies.urls")),
    path("coaching/", include("coaching.urls")),
    path("innoscheck/", include("innoscheck.urls")),
    path("reports/", include("reporting.urls")),
    # The open API (/api/v1/...), its OpenAPI schema and docs; personal access tokens in the account area.
    path("api/", include("api.urls")),
    path("account/tokens/", include("api.token_urls")),
    path("notifications/", include("notifications.urls")),
    # Liveness and readiness for docker compose and the proxy (status codes only).
    path("health/", include("digitalfabrik.health")),
    # Imprint and privacy policy, open to everyone (texts edited in the admin).
    path("legal/", include("digitalfabrik.legal")),
    # Browsers ask for /favicon.ico whatever the page links; the icon is the static SVG.
    path("favicon.ico", favicon, name="favicon"),
]
