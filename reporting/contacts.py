"""The maintained base of "people reached": each person's contacts and first contact per phase.

People reached in a range are distinct persons (by lower-cased e-mail) in held sessions and attended
events (coaching.selectors.people_reached, the full computation). That is a distinct count, so it does
not add up over days; read from the source tables it counts every registration of the range. Here:

- ``PersonContact``: one row per person and session or event, on its day, rewritten per session or
  event by the same steps that rewrite its support facts (reporting.facts.sync), in their transaction;
- ``FirstContact``: per phase, the day of each person's first contact since the phase began, written
  anew for the persons a step touched. A range that starts with the phase (every cumulative column)
  counts the persons whose day lies within it: one count over an index.

Two steps that touch the same person at once take that person's advisory lock first, so the second
reads the contacts the first one committed. ``rebuild`` writes both anew from the source tables;
``reporting/tests/test_facts.py`` checks with random sequences of steps that they always give the
full computation's figures.
"""

import datetime
import json

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import FirstContact, PersonContact

_SOURCES = {
    "session": """
        SELECT 'session:' || s.id AS scope, lower(p.email) AS email, s.starts_at AS at
        FROM coaching_sessionparticipant p JOIN coaching_session s ON s.id = p.session_id
        WHERE s.status = 'held' AND (CAST(%(id)s AS bigint) IS NULL OR s.id = %(id)s)""",
    "event": """
        SELECT 'event:' || e.id AS scope, lower(r.email) AS email, e.starts_at AS at
        FROM coaching_eventregistration r JOIN coaching_event e ON e.id = r.event_id
        WHERE r.attended AND (CAST(%(id)s AS bigint) IS NULL OR e.id = %(id)s)""",
}
# The advisory locks of persons: a two-key space of their own (reporting.services uses 4711).
_LOCK_NAMESPACE = 4_713


def _write(kind: str, object_id: int | None) -> None:
    params = {"id": object_id, "tz": settings.TIME_ZONE}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            day = "(src.at AT TIME ZONE %(tz)s)::date"
            insert = f"INSERT INTO reporting_personcontact (scope, email, day) SELECT src.scope, src.email, {day}"
            cursor.execute(f"{insert} FROM ({_SOURCES[kind]}) AS src", params)  # noqa: S608 - fixed SQL
            return
        # SQLite (make run) knows no time zones: the day is taken in Python from the stored UTC time.
        cursor.execute(_SOURCES[kind], params)
        rows = cursor.fetchall()
    PersonContact.objects.bulk_create(
        [PersonContact(scope=scope, email=email, day=timezone.localdate(_utc(at))) for scope, email, at in rows],
        batch_size=500,
    )


def _utc(value) -> datetime.datetime:
    """A timestamp as SQLite hands it back from a raw query (UTC text), as an aware datetime."""
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


def sync(kind: str, object_id: int) -> None:
    """Rewrite the contacts of one session or event (``kind``: "session" or "event"; other kinds of
    support reach no persons) and the first contacts of every person it concerns, before or after."""
    if kind not in _SOURCES:
        return
    contacts = PersonContact.objects.filter(scope=f"{kind}:{object_id}")
    before = set(contacts.values_list("email", flat=True))
    contacts.delete()
    _write(kind, object_id)
    first_contacts(before | set(contacts.values_list("email", flat=True)))


def first_contacts(emails: set[str] | None = None) -> None:
    """Write the first contacts of ``emails`` (all when None) anew from their contacts."""
    people = sorted(emails) if emails is not None else None
    if people == []:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and people is not None:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, person) "
                "FROM (SELECT DISTINCT hashtext(email) AS person FROM unnest(%s::text[]) AS email ORDER BY 1) people",
                [_LOCK_NAMESPACE, people],
            )
    existing = FirstContact.objects.all() if people is None else FirstContact.objects.filter(email__in=people)
    existing.delete()
    if people is None:
        contacts, params = "", {}
    elif connection.vendor == "postgresql":
        contacts, params = "WHERE c.email = ANY(%(people)s)", {"people": people}
    else:
        contacts, params = "WHERE c.email IN (SELECT value FROM json_each(%(people)s))", {"people": json.dumps(people)}
    with connection.cursor() as cursor:
        first = (
            "SELECT ph.id, c.email, min(c.day) FROM reporting_personcontact c "
            "JOIN programme_fundingphase ph ON c.day >= ph.start"
        )
        group = "GROUP BY ph.id, c.email"
        sql = f"INSERT INTO reporting_firstcontact (phase_id, email, day) {first} {contacts} {group}"  # noqa: S608 - fixed SQL
        cursor.execute(sql, params)


def reached_since_phase_start(*, phase, end: datetime.date) -> int:
    """People reached from the phase's start to ``end`` (one count over the index)."""
    return FirstContact.objects.filter(phase=phase, day__lte=end).count()


def rebuild() -> None:
    PersonContact.objects.all().delete()
    for kind in _SOURCES:
        _write(kind, None)
    first_contacts()


def reached(*, start: datetime.date, end: datetime.date) -> int:
    """People reached in any range: distinct persons among the contacts of its days (one query)."""
    return PersonContact.objects.filter(day__range=(start, end)).values("email").distinct().count()
