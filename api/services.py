"""Creating, using and revoking personal access tokens."""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken
from .scopes import Scope

logger = logging.getLogger(__name__)

# Recognisable in logs and by secret scanners ("Digitale Fabrik personal token").
TOKEN_PREFIX = "dfp_"  # noqa: S105 - a public marker, not a secret


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def latest_expiry(*, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)


@transaction.atomic
def token_create(*, user, name: str, scopes: list[str], expires_at: datetime.datetime) -> tuple[ApiToken, str]:
    """A new token of ``user``; returns it and its secret, which is not stored and cannot be shown again."""
    now = timezone.now()
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose at least one of the offered scopes.")})
    if expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    if timezone.localdate(expires_at) > timezone.localdate(latest_expiry(now=now)):
        raise ValidationError(
            {"expires_at": _("A token is valid for at most %(days)s days.") % {"days": settings.API_TOKEN_MAX_DAYS}}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=token_hash(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    logger.info("API token %s (%s) created by user %s, scopes %s", token.pk, token.prefix, user.pk, token.scopes)
    return token, secret


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db(fields=["revoked_at"])
        logger.info("API token %s (%s) of user %s revoked by user %s", token.pk, token.prefix, token.user_id, by.pk)
    return token


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The valid token with this secret (its user active), or None."""
    token = ApiToken.objects.select_related("user", "user__partner").filter(key_hash=token_hash(secret)).first()
    if token is None or not token.is_valid() or not token.user.is_active:
        return None
    return token


def token_record_use(*, token: ApiToken, method: str, path: str) -> None:
    """Every use is logged and stamped on the token (one UPDATE, no read-modify-write)."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    logger.info("API token %s (%s) of user %s: %s %s", token.pk, token.prefix, token.user_id, method, path)
