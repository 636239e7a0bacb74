"""The Content-Security-Policy of production, importable without production's secrets (tests use it too)."""

from csp.constants import NONE, SELF

# Everything from our own origin, no inline script or style, no plugins, no framing. data: images
# are Bootstrap's form icons and allauth's TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}


def with_csp_middleware(middleware: list[str]) -> list[str]:
    """django-csp's middleware right after Django's SecurityMiddleware."""
    position = middleware.index("django.middleware.security.SecurityMiddleware") + 1
    return [*middleware[:position], "csp.middleware.CSPMiddleware", *middleware[position:]]
