"""What the portal keeps only for a while: expired sessions and the tokens of forms no session can send.

Sessions live in the database (SESSION_ENGINE "db"), which keeps an expired one until it is deleted.
A form's one-time token (digitalfabrik.once) only matters while the form can still be posted, and a
form can only be posted within the session it was shown in (logging in again rotates the CSRF token),
so a token older than the longest session is never looked up again.
"""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from .models import SubmittedForm


def clean_up(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete expired sessions and form tokens older than the longest session; returns how many of each."""
    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    oldest_form = now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    forms, _ = SubmittedForm.objects.filter(created_at__lt=oldest_form).delete()
    return {"sessions": sessions, "form_tokens": forms}
