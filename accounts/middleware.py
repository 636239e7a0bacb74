from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who still has to set up two-factor login may open.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/favicon")


class RequireTwoFactorMiddleware:
    """Staff, coaches, funders and administrators must activate TOTP before using the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.requires_mfa
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
