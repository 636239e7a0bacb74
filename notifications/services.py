"""Notifications: made from notifications.table for each published event, shown in the portal and
mailed (through the outbox) as each person chose: at once, in the daily digest or not at all."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from digitalfabrik.mail import Mail, absolute_url, render_templated_mail, send_mail_message
from programme import events

from . import recipients
from .models import Delivery, Kind, Notification, Preference
from .table import COMPANY, TABLE, Tell

UNSUBSCRIBE_SALT = "notifications.unsubscribe"

# The conversations' events (published by message_post).
events.declare("message.case", "message.application")


def subject_of(name: str, payload: dict):
    """The object an event is about: the application, case or report (or a thread's object)."""
    for key in ("application", "case", "report", "registration", "invitation", "subject"):
        if payload.get(key) is not None:
            return payload[key]
    if payload.get("session") is not None:
        return payload["session"].case
    return None


def url_of(subject) -> str:
    from coaching.models import Case, EventRegistration
    from companies.models import Invitation
    from innoscheck.models import Application
    from reporting.models import Report

    if isinstance(subject, Application):
        return reverse("innoscheck:detail", args=[subject.pk])
    if isinstance(subject, Case):
        return reverse("coaching:case_detail", args=[subject.pk])
    if isinstance(subject, Report):
        return reverse("reporting:detail", kwargs={"pk": subject.pk})
    if isinstance(subject, EventRegistration):
        return reverse("coaching:event_detail", args=[subject.event_id])
    if isinstance(subject, Invitation):
        return reverse("companies:detail", args=[subject.company_id])
    return ""


def on_event(name: str, **payload) -> None:
    """programme.events subscriber: notify as the table says (events it has no entry for are not ours)."""
    if name in TABLE:
        notify(name, **payload)


def notify(name: str, *, by=None, skip: tuple[str, ...] = (), **payload) -> list[Notification]:
    """Tell the audiences of ``name`` (notifications.table) about it, in this transaction.

    Each person gets one notification per event (the first audience that includes them decides its
    kind); ``by`` (who took the step) is told only by a receipt entry; ``skip`` leaves audiences out (a conversation's
    author's own side).
    """
    entry = TABLE[name]
    subject = subject_of(name, payload)
    event = payload.get("event")
    note = getattr(event, "note", "") or payload.get("text", "")
    url = payload.get("url") or url_of(subject)
    made: list[Notification] = []
    told: set[int] = set()
    for tell in entry.tell:
        if tell.audience in skip:
            continue
        for user in recipients.audience(tell.audience, subject=subject, payload=payload).order_by("pk"):
            if user.pk in told or (by is not None and user.pk == by.pk and not tell.receipt):
                continue
            told.add(user.pk)
            made.append(_notify_user(user=user, name=name, entry=entry, tell=tell, subject=subject, note=note, url=url))
        if tell.legal and tell.audience == COMPANY and getattr(subject, "company", None) is not None:
            _mail_contact_address(company=subject.company, entry=entry, tell=tell, subject=subject, note=note, url=url)
    return made


def _title(entry, subject) -> str:
    return f"{entry.title}: {subject}" if subject is not None else str(entry.title)


def _notify_user(*, user, name: str, entry, tell: Tell, subject, note: str, url: str) -> Notification:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = _title(entry, subject)[:300]
    notification = Notification.objects.create(
        user=user, kind=tell.kind, event=name, title=title, text=note, url=url, legal_effect=tell.legal
    )
    if tell.email and (tell.legal or delivery_for(user=user, kind=tell.kind) == Delivery.IMMEDIATE):
        _mail_notifications(user=user, notifications=[notification], kind=tell.kind, legal=tell.legal)
    return notification


def _mail_contact_address(*, company, entry, tell: Tell, subject, note: str, url: str) -> None:
    """Decisions with legal effect also go to the company's official address (it may be no user's)."""
    address = (company.contact_email or "").strip()
    if not address or company.memberships.filter(user__email__iexact=address).exists():
        return
    with translation.override(settings.LANGUAGE_CODE):
        item = {"title": _title(entry, subject), "text": note, "url": absolute_url(url) if url else ""}
    send_mail_message(
        render_templated_mail(
            to=[address],
            template="notifications/email/notification",
            context={"items": [item], "unsubscribe_url": ""},
            language=settings.LANGUAGE_CODE,
            kind=tell.kind,
        )
    )


def delivery_for(*, user, kind: str) -> str:
    preference = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return preference or Delivery.IMMEDIATE


def unsubscribe_token(*, user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user=user, kind=kind)]))


def _mail_notifications(*, user, notifications: list[Notification], kind: str, legal: bool, digest: bool = False):
    """One mail to ``user`` with ``notifications`` (one, or the day's digest), in their language.

    Every mail but a decision with legal effect carries a signed one-click unsubscribe link for its
    kind (the digest's: for the digest) and the List-Unsubscribe headers (RFC 8058)."""
    language = user.language or settings.LANGUAGE_CODE
    unsubscribe = "" if legal else unsubscribe_url(user=user, kind="digest" if digest else kind)
    items = [
        {"title": item.title, "text": item.text, "url": absolute_url(item.url) if item.url else ""}
        for item in notifications
    ]
    mail = render_templated_mail(
        to=[user.email],
        template="notifications/email/digest" if digest else "notifications/email/notification",
        context={"items": items, "user": user, "unsubscribe_url": unsubscribe},
        language=language,
        kind="digest" if digest else kind,
    )
    headers = (
        {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        if unsubscribe
        else {}
    )
    send_mail_message(Mail(**{**mail.__dict__, "headers": headers}))
    Notification.objects.filter(pk__in=[item.pk for item in notifications]).update(emailed_at=timezone.now())


# --- Reading -------------------------------------------------------------------------------------


# Counted on every page with the navigation (the bell), from the index on (user, read_at). Written out:
# the ORM took 0.6 ms to build and run this count, the statement itself 0.2 ms (bench/profile_pages.py).
_UNREAD = f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = %s AND read_at IS NULL"  # noqa: S608


def unread_count(user) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD, [user.pk])
        return cursor.fetchone()[0]


def notifications_for(user, *, kind: str = "") -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user)
    return queryset.filter(kind=kind) if kind else queryset


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications read, or all of them (``notification_id`` None)."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        queryset = queryset.filter(pk=notification_id)
    return queryset.update(read_at=timezone.now())


# --- Choices ---------------------------------------------------------------------------------------

# Kinds a person may choose for; decisions with legal effect always go by e-mail at once.
CHOOSABLE = [kind for kind in Kind if kind != Kind.DECISION]


def preferences_of(user) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, Delivery.IMMEDIATE) for kind in CHOOSABLE}


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind not in Kind.values or kind == Kind.DECISION or delivery not in Delivery.values:
            raise ValueError(f"no such choice: {kind} → {delivery}")
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def unsubscribe(*, token: str) -> tuple[object, str] | None:
    """Apply a signed one-click unsubscribe: the kind (or every digest kind) goes to "portal only"."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    kind = data.get("k")
    if user is None:
        return None
    if kind == "digest":
        kinds = [k for k, delivery in preferences_of(user).items() if delivery == Delivery.DIGEST]
    elif kind in Kind.values and kind != Kind.DECISION:
        kinds = [kind]
    else:
        return None
    preferences_set(user=user, choices=dict.fromkeys(kinds, Delivery.PORTAL))
    return user, kind


# --- Daily digest ------------------------------------------------------------------------------------


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Mail each person who chose the digest for some kind their notifications of those kinds not yet
    mailed, in one mail in their language. Returns the number of digests."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    sent = 0
    digest_kinds = Preference.objects.filter(delivery=Delivery.DIGEST)
    users = get_user_model().objects.filter(is_active=True, notification_preferences__in=digest_kinds).distinct()
    for user in users.order_by("pk"):
        kinds = list(digest_kinds.filter(user=user).values_list("kind", flat=True))
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(user=user, kind__in=kinds, emailed_at__isnull=True, created_at__lte=now)
                .order_by("created_at", "pk")
            )
            if not pending:
                continue
            _mail_notifications(user=user, notifications=pending, kind="digest", legal=False, digest=True)
            sent += 1
    return sent
