"""The maintained base of the enterprise indicators: one ``SupportFact`` row per dated support.

Each workflow step that gives a company support publishes a programme event; the subscriber here
rewrites the facts of the object it concerns, in the same transaction (so a rolled-back step leaves
no fact):

    voucher.approve                         the voucher's grant
    session.hold / session.correct          the session (snapshot of its case's first held session)
    coaching.event_attendance               the event's attended registrations
    coaching.project_saved / project_met    the project's start and meetings, for each company in it

Each time, the per-phase summary of the companies concerned (``CompanySupport``: the first support of
each kind in each phase) is written anew from their facts, in the same transaction; so is every
company's when a phase's dates change. The count of facts per kind and day (``SupportDay``) gets the
difference the rewrite made, as an increment.

``rebuild`` writes every fact from the source tables at once (``manage.py rebuild_indicators``). Both
use the same SELECT; ``reporting/tests/test_facts.py`` checks with random sequences of steps that the
maintained facts and the figures read from them equal those of a full rebuild.

A fact's size class and city are the company's at the time of the support: what the voucher kept at
approval or the case at its first held session, else the company's history as of that moment (so a
later move or growth changes no fact).
"""

import datetime
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from companies.services import FOUNDING_CHANGED
from programme.models import FundingPhase

from . import contacts, indicators, tallies, vouchers
from .models import CompanySupport, SupportDay, SupportFact, SupportKind

# Every source of support as (scope, source, kind, company, phase, at, snapshot size class, city).
_SOURCES = {
    "application": f"""
        SELECT 'application:' || a.id AS scope, 'application:' || a.id AS source, {SupportKind.GRANT} AS kind,
               a.company_id AS company_id, a.phase_id AS phase_id, a.approved_at AS at,
               a.support_size_class AS size_class, a.support_city AS city
        FROM innoscheck_application a
        WHERE a.approved_at IS NOT NULL AND (%(id)s IS NULL OR a.id = %(id)s)""",  # noqa: S608 - fixed SQL; the id is a parameter
    "session": f"""
        SELECT 'session:' || s.id AS scope, 'session:' || s.id AS source, {SupportKind.COACHING} AS kind,
               c.company_id AS company_id, CAST(NULL AS bigint) AS phase_id, s.starts_at AS at,
               c.support_size_class AS size_class, c.support_city AS city
        FROM coaching_session s JOIN coaching_case c ON c.id = s.case_id
        WHERE s.status = 'held' AND (%(id)s IS NULL OR s.id = %(id)s)""",  # noqa: S608 - fixed SQL; the id is a parameter
    "event": f"""
        SELECT 'event:' || e.id AS scope, 'registration:' || r.id AS source, {SupportKind.EVENT} AS kind,
               r.company_id AS company_id, CAST(NULL AS bigint) AS phase_id, e.starts_at AS at,
               '' AS size_class, '' AS city
        FROM coaching_eventregistration r JOIN coaching_event e ON e.id = r.event_id
        WHERE r.attended AND r.company_id IS NOT NULL AND (%(id)s IS NULL OR e.id = %(id)s)""",  # noqa: S608 - fixed SQL; the id is a parameter
    "project": f"""
        SELECT 'project:' || p.id AS scope, 'project:' || p.id || ':' || pc.company_id AS source,
               {SupportKind.PROJECT} AS kind, pc.company_id AS company_id, CAST(NULL AS bigint) AS phase_id,
               p.created_at AS at, '' AS size_class, '' AS city
        FROM coaching_project p JOIN coaching_project_companies pc ON pc.project_id = p.id
        WHERE %(id)s IS NULL OR p.id = %(id)s
        UNION ALL
        SELECT 'project:' || m.project_id, 'meeting:' || m.id || ':' || pc.company_id, {SupportKind.PROJECT},
               pc.company_id, CAST(NULL AS bigint), m.starts_at, '', ''
        FROM coaching_projectmeeting m JOIN coaching_project_companies pc ON pc.project_id = m.project_id
        WHERE %(id)s IS NULL OR m.project_id = %(id)s""",  # noqa: S608 - fixed SQL; the id is a parameter
}

_INSERT = """
    INSERT INTO reporting_supportfact (scope, source, kind, company_id, phase_id, at, day, size_class, city)
    SELECT src.scope, src.source, src.kind, src.company_id, src.phase_id, src.at, {day},
           COALESCE(NULLIF(src.size_class, ''), ({as_of}size_class {as_of_tail}), co.size_class),
           COALESCE(NULLIF(src.city, ''), ({as_of}city {as_of_tail}), co.city)
    FROM ({source}) AS src
    JOIN companies_company co ON co.id = src.company_id
"""
# The company as of the support, from its history (the latest change at or before the moment).
_AS_OF = "SELECT h."
_AS_OF_TAIL = """FROM companies_historicalcompany h WHERE h.id = src.company_id AND h.history_date <= src.at
                 ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1"""
# The support's day in the programme's time zone. SQLite (make run) knows no time zones: it stores the
# UTC day and _local_days() corrects it in Python.
_DAY = {"postgresql": "(src.at AT TIME ZONE %(tz)s)::date", "sqlite": "date(src.at)"}


def _write(kind: str, object_id: int | None) -> None:
    source = _SOURCES[kind].replace("%(id)s", "CAST(%(id)s AS bigint)")
    sql = _INSERT.format(source=source, day=_DAY[connection.vendor], as_of=_AS_OF, as_of_tail=_AS_OF_TAIL)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": object_id, "tz": settings.TIME_ZONE})
    if connection.vendor != "postgresql":
        _local_days(kind, object_id)


def _local_days(kind: str, object_id: int | None) -> None:
    facts = SupportFact.objects.all() if object_id is None else SupportFact.objects.filter(scope=f"{kind}:{object_id}")
    changed = []
    for fact in facts.only("pk", "at", "day"):
        day = timezone.localdate(fact.at)
        if fact.day != day:
            fact.day = day
            changed.append(fact)
    SupportFact.objects.bulk_update(changed, ["day"], batch_size=500)


def sync(kind: str, object_id: int) -> None:
    """Rewrite the facts of one object (``kind`` is a key of _SOURCES) from its current source rows,
    the count of facts of every day that changed and the summary of every company whose facts that touched."""
    scope = f"{kind}:{object_id}"
    facts = SupportFact.objects.filter(scope=scope)
    earlier = tallies.scope_facts(scope)
    before = [(fact.kind, fact.day, fact.company_id) for fact in earlier]
    facts.delete()
    _write(kind, object_id)
    after = list(facts.values_list("kind", "day", "company_id"))
    _add_to_days(Counter(fact[:2] for fact in after), Counter(fact[:2] for fact in before))
    companies = {fact[2] for fact in before + after}
    tallies.lock(companies)
    summarise(companies)
    tallies.facts_changed(scope=scope, before=earlier, companies=companies)
    contacts.sync(kind, object_id)


# Increments commute: two steps on the same day each add their own difference (the row lock orders them).
_ADD_TO_DAY = """
    INSERT INTO reporting_supportday (kind, day, facts) VALUES (%s, %s, %s)
    ON CONFLICT (kind, day) DO UPDATE SET facts = reporting_supportday.facts + excluded.facts
"""


def _add_to_days(added: Counter, removed: Counter) -> None:
    changes = sorted((key, added[key] - removed[key]) for key in added | removed if added[key] != removed[key])
    if changes:  # in key order, so that two steps never wait for each other's rows crosswise
        with connection.cursor() as cursor:
            cursor.executemany(_ADD_TO_DAY, [(kind, day, change) for (kind, day), change in changes])


def count_days() -> None:
    """The count of facts per kind and day anew from every fact."""
    SupportDay.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reporting_supportday (kind, day, facts) "
            "SELECT kind, day, count(*) FROM reporting_supportfact GROUP BY kind, day"
        )


# The columns of CompanySupport for each kind of support.
_KIND_COLUMNS = {
    SupportKind.GRANT: "grant",
    SupportKind.COACHING: "coaching",
    SupportKind.EVENT: "event",
    SupportKind.PROJECT: "project",
}


def summarise(companies: set[int] | None = None) -> int:
    """Write the CompanySupport rows of ``companies`` (all when None) anew from their support facts;
    returns how many rows there are now for them.

    A grant belongs to its voucher's phase; any other support to each phase whose dates hold its day
    (the same rule as the figures read from the facts). Within a kind, the first support is the
    earliest (then the lowest id), as the facts' snapshot order has it."""
    phases = list(FundingPhase.objects.values_list("pk", "start", "end"))
    facts = SupportFact.objects.order_by("company_id", "kind", "at", "pk")
    existing = CompanySupport.objects.all()
    if companies is not None:
        facts, existing = facts.filter(company_id__in=companies), existing.filter(company_id__in=companies)
    existing.delete()
    rows: dict[tuple[int, int], CompanySupport] = {}
    # The new-enterprise rule looks at the first grant of the phase whatever its day.
    first_support: dict[tuple[int, int], datetime.date] = {}
    columns = ("company_id", "kind", "phase_id", "day", "size_class", "city")
    for company, kind, phase_id, day, size_class, city in facts.values_list(*columns).iterator(chunk_size=5000):
        for phase, start, end in phases:
            if kind == SupportKind.GRANT:
                if phase_id != phase:
                    continue
                first_support.setdefault((company, phase), day)
                if day < start:  # counted from the phase's start on, as the figures read from the facts
                    continue
            elif not start <= day <= end:
                continue
            elif kind == SupportKind.COACHING:
                first_support[(company, phase)] = min(day, first_support.get((company, phase), day))
            row = rows.get((company, phase))
            if row is None:
                row = rows[(company, phase)] = CompanySupport(company_id=company, phase_id=phase, first_day=day)
            prefix = _KIND_COLUMNS[kind]
            if getattr(row, f"{prefix}_day") is None:  # the first of its kind: facts come in time order
                setattr(row, f"{prefix}_day", day)
                setattr(row, f"{prefix}_size_class", size_class)
                setattr(row, f"{prefix}_city", city)
                row.first_day = min(row.first_day, day)
    for key, row in rows.items():
        row.first_support_day = first_support.get(key)
    CompanySupport.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)


def remember_phase_dates(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of FundingPhase: the dates stored before the save, for ``on_phase_saved``."""
    stored = None if raw or instance.pk is None else sender.objects.filter(pk=instance.pk).first()
    instance._stored_dates = (stored.start, stored.end) if stored else None


def on_phase_saved(sender, instance, raw=False, **kwargs) -> None:
    """post_save of FundingPhase: a phase's dates decide which support belongs to it, so a new phase or
    new dates write every company's summary anew; a new name or budget changes none. (A deleted phase's
    rows go with it; no other phase's depend on it.)"""
    if not raw and getattr(instance, "_stored_dates", None) != (instance.start, instance.end):
        summarise()
        count_tallies()
        contacts.first_contacts()


def count_tallies() -> int:
    """Every phase's enterprise tallies anew, counted by the figures' own SQL over the facts."""
    return tallies.recount(indicators.enterprise_groups)


def write_all_facts() -> None:
    """Every fact anew from the source tables (without the summary; migration 0005 predates it)."""
    SupportFact.objects.all().delete()
    for kind in _SOURCES:
        _write(kind, None)


@transaction.atomic
def rebuild() -> int:
    """Every fact anew from the source tables, and their count per day and summary from them, and the
    maintained voucher figures (reporting.vouchers); returns how many facts there are."""
    write_all_facts()
    count_days()
    summarise()
    count_tallies()
    contacts.rebuild()
    vouchers.rebuild()
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
    if name.startswith("voucher."):  # every step of a voucher's workflow
        vouchers.sync(payload["application"].pk)
    if name in _EVENTS:
        kind, argument = _EVENTS[name]
        sync(kind, payload[argument].pk)
    elif name == FOUNDING_CHANGED:
        tallies.founding_changed(company=payload["company"].pk, before=payload["before"], after=payload["after"])
