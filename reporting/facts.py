"""The maintained base of the enterprise indicators: one ``SupportFact`` row per dated support.

Each workflow step that gives a company support publishes a programme event; the subscriber here
rewrites the facts of the object it concerns, in the same transaction (so a rolled-back step leaves
no fact):

    voucher.approve                         the voucher's grant
    session.hold / session.correct          the session (snapshot of its case's first held session)
    coaching.event_attendance               the event's attended registrations
    coaching.project_saved / project_met    the project's start and meetings, for each company in it

``rebuild`` writes every fact from the source tables at once (``manage.py rebuild_indicators``). Both
use the same SELECT; ``reporting/tests/test_facts.py`` checks with random sequences of steps that the
maintained facts and the figures read from them equal those of a full rebuild.

A fact's size class and city are the company's at the time of the support: what the voucher kept at
approval or the case at its first held session, else the company's history as of that moment (so a
later move or growth changes no fact).
"""

from django.conf import settings
from django.db import connection, transaction

from .models import SupportFact, SupportKind

# Every source of support as (scope, source, kind, company, phase, at, snapshot size class, city).
_SOURCES = {
    "application": f"""
        SELECT 'application:' || a.id AS scope, 'application:' || a.id AS source, {SupportKind.GRANT} AS kind,
               a.company_id, a.phase_id, a.approved_at AS at, a.support_size_class AS size_class,
               a.support_city AS city
        FROM innoscheck_application a
        WHERE a.approved_at IS NOT NULL AND (%(id)s IS NULL OR a.id = %(id)s)""",  # noqa: S608 - fixed SQL; the id is a parameter
    "session": f"""
        SELECT 'session:' || s.id, 'session:' || s.id, {SupportKind.COACHING}, c.company_id, NULL::bigint, s.starts_at,
               c.support_size_class, c.support_city
        FROM coaching_session s JOIN coaching_case c ON c.id = s.case_id
        WHERE s.status = 'held' AND (%(id)s IS NULL OR s.id = %(id)s)""",  # noqa: S608 - fixed SQL; the id is a parameter
    "event": f"""
        SELECT 'event:' || e.id, 'registration:' || r.id, {SupportKind.EVENT}, r.company_id, NULL::bigint, e.starts_at,
               '', ''
        FROM coaching_eventregistration r JOIN coaching_event e ON e.id = r.event_id
        WHERE r.attended AND r.company_id IS NOT NULL AND (%(id)s IS NULL OR e.id = %(id)s)""",  # noqa: S608 - fixed SQL; the id is a parameter
    "project": f"""
        SELECT 'project:' || p.id, 'project:' || p.id || ':' || pc.company_id, {SupportKind.PROJECT},
               pc.company_id, NULL::bigint, p.created_at, '', ''
        FROM coaching_project p JOIN coaching_project_companies pc ON pc.project_id = p.id
        WHERE %(id)s IS NULL OR p.id = %(id)s
        UNION ALL
        SELECT 'project:' || m.project_id, 'meeting:' || m.id || ':' || pc.company_id, {SupportKind.PROJECT},
               pc.company_id, NULL::bigint, m.starts_at, '', ''
        FROM coaching_projectmeeting m JOIN coaching_project_companies pc ON pc.project_id = m.project_id
        WHERE %(id)s IS NULL OR m.project_id = %(id)s""",  # noqa: S608 - fixed SQL; the id is a parameter
}

_INSERT = """
    INSERT INTO reporting_supportfact (scope, source, kind, company_id, phase_id, at, day, size_class, city)
    SELECT src.scope, src.source, src.kind, src.company_id, src.phase_id, src.at,
           (src.at AT TIME ZONE %(tz)s)::date,
           COALESCE(NULLIF(src.size_class, ''), as_of.size_class, co.size_class),
           COALESCE(NULLIF(src.city, ''), as_of.city, co.city)
    FROM ({source}) AS src (scope, source, kind, company_id, phase_id, at, size_class, city)
    JOIN companies_company co ON co.id = src.company_id
    LEFT JOIN LATERAL (
        SELECT h.size_class, h.city FROM companies_historicalcompany h
        WHERE h.id = src.company_id AND h.history_date <= src.at
        ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1
    ) as_of ON true
"""


def _write(kind: str, object_id: int | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT.format(source=_SOURCES[kind]).replace("%(id)s", "%(id)s::bigint"),
            {"id": object_id, "tz": settings.TIME_ZONE},
        )


def sync(kind: str, object_id: int) -> None:
    """Rewrite the facts of one object (``kind`` is a key of _SOURCES) from its current source rows."""
    SupportFact.objects.filter(scope=f"{kind}:{object_id}").delete()
    _write(kind, object_id)


@transaction.atomic
def rebuild() -> int:
    """Every fact anew from the source tables; returns how many there are."""
    SupportFact.objects.all().delete()
    for kind in _SOURCES:
        _write(kind, None)
    return SupportFact.objects.count()


# Which object each event names, and the facts it rewrites.
_EVENTS = {
    "voucher.approve": ("application", "application"),
    "session.hold": ("session", "session"),
    # A held session's record corrected within its 14 days (its date may move).
    "session.correct": ("session", "session"),
    "coaching.event_attendance": ("event", "event"),
    "coaching.project_saved": ("project", "project"),
    "coaching.project_met": ("project", "project"),
}


def on_event(name: str, **payload) -> None:
    """The subscriber (registered in ReportingConfig.ready)."""
    if name in _EVENTS:
        kind, argument = _EVENTS[name]
        sync(kind, payload[argument].pk)
