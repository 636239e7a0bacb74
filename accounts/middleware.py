import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who still has to set up two-factor login may open.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/favicon", "/legal/")


# The session remembers when TOTP was last found present, so not every request asks the database.
TOTP_CHECKED = "mfa_totp_checked"
# A TOTP removed in another session (another device, the admin) is noticed within this many seconds.
TOTP_RECHECK_AFTER = 5 * 60


def forget_totp_check(sender, request=None, **kwargs) -> None:
    """allauth's authenticator_added/_removed: the next request checks the database again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(TOTP_CHECKED, None)


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
            and not self._has_totp(request, user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _has_totp(request, user) -> bool:
        now = int(time.time())
        checked = request.session.get(TOTP_CHECKED)
        if checked is not None and 0 <= now - checked < TOTP_RECHECK_AFTER:
            return True
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            request.session[TOTP_CHECKED] = now
            return True
        request.session.pop(TOTP_CHECKED, None)
        return False


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
