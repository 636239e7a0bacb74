import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
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


class PrivilegedSessionTimeoutMiddleware:
    """Log out staff, coaches, funders and admins after PRIVILEGED_SESSION_AGE seconds of inactivity.

    The last-activity stamp is refreshed at most once a minute, so an active user's session is not
    written on every request.
    """

    LAST_ACTIVITY = "privileged_last_activity"
    REFRESH_AFTER = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.requires_mfa:
            age = settings.PRIVILEGED_SESSION_AGE
            now = int(time.time())
            last = request.session.get(self.LAST_ACTIVITY)
            if last is not None and now - last > age:
                logout(request)
            elif last is None or now - last >= self.REFRESH_AFTER:
                request.session[self.LAST_ACTIVITY] = now
                request.session.set_expiry(age)
        return self.get_response(request)
