"""Who may use the API, and with which token. Portal rules stay in the apps' permissions.py."""

from allauth.account.authentication import get_authentication_records
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from .models import ApiToken


def can_manage_tokens(user) -> bool:
    return user.is_authenticated and user.is_active


def second_factor_verified(request) -> bool:
    """allauth records a passed second factor (TOTP or a recovery code) in the session as "mfa"."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def can_create_token(request) -> bool:
    """Staff, coaches, funders and admins create tokens only in a session opened with their second factor."""
    user = request.user
    if not can_manage_tokens(user):
        return False
    return not user.requires_mfa or second_factor_verified(request)


def can_revoke_token(user, token: ApiToken) -> bool:
    return token.user_id == user.pk


class TokenHasScope(BasePermission):
    """A token is needed, and it must carry the scope the view names for the request's method."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated()
        needed = view.required_scopes.get(request.method) or view.required_scopes.get("GET")
        if needed not in token.scopes:
            raise exceptions.PermissionDenied(_("The token lacks the scope %(scope)s.") % {"scope": needed})
        return True
