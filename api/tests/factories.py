import datetime

from django.utils import timezone

from api import services
from api.scopes import Scope


def token_for(user, *, scopes=None, days: int = 30, name: str = "Test") -> str:
    """A new token of ``user`` (all scopes unless given); returns its secret."""
    _, secret = services.token_create(
        user=user,
        name=name,
        scopes=list(Scope.values) if scopes is None else scopes,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
