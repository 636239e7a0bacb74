"""The programme's indicators: every figure in screens, exports and PDF reports comes from here.

Each function takes a funding phase and a date range (both ends inclusive) and computes its figures
in SQL with a fixed number of queries. "Cumulative" means the same function with the range starting
at the phase's start. reporting.selectors gathers what a page, a report, an export or the API shows;
the voucher totals, the budget and its burndown it reads from their maintained days
(reporting.vouchers), which equal ``voucher_totals``, ``budget_status`` and ``budget_burndown`` here.

Figures count dated events, each in its own period, so a period's figures never change afterwards:
- a grant counts in the period of its approval (``approved_at``) whatever happens to it later; a
  later rejection, cancellation or expiry is its own event (``grant_withdrawn_at``) counted in the
  period it happened in ("grants withdrawn", "amount released");
- a company is counted with its size class, region and city at the time of the support: kept on the
  voucher at approval and on the coaching case at its first held session (events and projects, which
  keep no such snapshot, use the current profile);
- a company counts as supported in a range when, within it, a voucher of the phase was approved for
  it (grant: RCO02/CO02), or a coaching session with it was held, it attended an event, or a project
  it takes part in met or was started (non-financial support: RCO04/CO04);
- new enterprises (RCO05/CO05): companies.founding.is_new_enterprise on the day of the company's first
  support in the phase (first approved voucher or first held session). A company whose founding date
  is not yet confirmed (carried over from the founding year only) is never counted as new; the
  report shows how many supported companies that concerns.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.selectors import people_reached as coaching_people_reached
from companies.founding import new_enterprise_sql
from digitalfabrik.dates import ONE_DAY, as_date, day_start
from innoscheck.workflow import Status
from programme.choices import SizeClass, Topic

from . import tallies
from .models import SupportKind

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Range:
    start: datetime.date
    end: datetime.date


class Rows(list):
    """Rows read with one raw query, offering ``iterator()`` like a values() queryset."""

    def iterator(self, chunk_size: int | None = None):
        return iter(self)


# Every company supported in the period, once, from the maintained support facts (reporting.facts):
# the kinds of its support, its size class and city at the support (taken from its grant first, then
# its coaching case, then events and projects), and the day of its first support in the phase (first
# approved voucher of the phase or first held session within the phase's dates).
_PERIOD_FACTS = f"""
    FROM reporting_supportfact
    WHERE day BETWEEN %(start)s AND %(end)s AND (kind <> {SupportKind.GRANT} OR phase_id = %(phase)s)
"""
# Each company's first support in the period (by kind, then time): its size class and city. PostgreSQL
# reads it with DISTINCT ON straight off the covering index; SQLite (make run) has a window function.
_SNAPSHOT = {
    "postgresql": f"""
        SELECT DISTINCT ON (company_id) company_id, size_class AS size_at_support, city AS city_at_support
        {_PERIOD_FACTS}
        ORDER BY company_id, kind, at, id""",
    "sqlite": f"""
        SELECT company_id, size_class AS size_at_support, city AS city_at_support FROM (
            SELECT company_id, size_class, city, row_number() OVER (PARTITION BY company_id ORDER BY kind, at, id) AS n
            {_PERIOD_FACTS}
        ) WHERE n = 1""",  # noqa: S608 - fixed fragments; every value is a parameter
}
# Three passes over the covering index (company, kind, at, id), none of which sorts.
_SUPPORTED_SQL = f"""
    WITH in_period AS (
        SELECT company_id, min(kind) AS first_kind, max(kind) AS last_kind,
               sum(CASE WHEN kind = {SupportKind.COACHING} THEN 1 ELSE 0 END) > 0 AS has_coaching {_PERIOD_FACTS}
        GROUP BY company_id
    ), snapshot AS (
        __SNAPSHOT__
    ), first_support AS (
        SELECT company_id, min(day) AS day
        FROM reporting_supportfact
        WHERE company_id IN (SELECT company_id FROM in_period)
          AND ((kind = {SupportKind.GRANT} AND phase_id = %(phase)s)
               OR (kind = {SupportKind.COACHING} AND day BETWEEN %(phase_start)s AND %(phase_end)s))
        GROUP BY company_id
    )
    SELECT p.company_id, p.first_kind = {SupportKind.GRANT} AS has_grant,
           p.last_kind > {SupportKind.GRANT} AS has_non_financial, p.has_coaching, s.size_at_support,
           s.city_at_support,
           co.name, co.city, co.size_class, co.founding_date, co.founding_date_confirmed,
           __IS_NEW__ IS TRUE AS is_new
    FROM in_period p
    JOIN snapshot s ON s.company_id = p.company_id
    JOIN companies_company co ON co.id = p.company_id
    LEFT JOIN first_support ON first_support.company_id = p.company_id
"""  # noqa: S608 - fixed fragments; every value is a parameter


# The same columns for a range that starts with the phase and ends within it, from the maintained
# per-company summary (reporting.models.CompanySupport): one row per supported company instead of every
# fact. By the range's end a kind of support counts once its first day lies within the range; the
# snapshot is that of the first kind that does.
_SUMMARY_SQL = """
    SELECT s.company_id,
           COALESCE(s.grant_day <= %(end)s, FALSE) AS has_grant,
           COALESCE(s.coaching_day <= %(end)s OR s.event_day <= %(end)s OR s.project_day <= %(end)s, FALSE)
               AS has_non_financial,
           COALESCE(s.coaching_day <= %(end)s, FALSE) AS has_coaching,
           CASE WHEN s.grant_day <= %(end)s THEN s.grant_size_class
                WHEN s.coaching_day <= %(end)s THEN s.coaching_size_class
                WHEN s.event_day <= %(end)s THEN s.event_size_class
                ELSE s.project_size_class END AS size_at_support,
           CASE WHEN s.grant_day <= %(end)s THEN s.grant_city
                WHEN s.coaching_day <= %(end)s THEN s.coaching_city
                WHEN s.event_day <= %(end)s THEN s.event_city
                ELSE s.project_city END AS city_at_support,
           co.name, co.city, co.size_class, co.founding_date, co.founding_date_confirmed,
           __IS_NEW__ IS TRUE AS is_new
    FROM reporting_companysupport s
    JOIN companies_company co ON co.id = s.company_id
    WHERE s.phase_id = %(phase)s AND s.first_day <= %(end)s
"""  # noqa: S608 - fixed fragments; every value is a parameter


def _from_summary(*, phase, period: Range) -> bool:
    """Whether the summary holds exactly the support of ``period``: it starts with the phase and ends within it."""
    return period.start == phase.start and period.end <= phase.end


def _supported(
    *, phase, period: Range, select: str, tail: str = "", extra: dict | None = None, source: str = "auto"
) -> list[dict]:
    """``source``: "facts" reads the support facts; "auto" the summary where it holds the range (the
    figures are the same, which reporting/tests/test_facts.py checks)."""
    params = {
        "start": period.start,
        "end": period.end,
        "phase": phase.pk,
        "phase_start": phase.start,
        "phase_end": phase.end,
        **(extra or {}),
    }
    with connection.cursor() as cursor:
        # The select list and the tail are fixed in this module; every value is a parameter.
        summary = source == "auto" and _from_summary(phase=phase, period=period)
        is_new = new_enterprise_sql(
            founding_date="co.founding_date",
            confirmed="co.founding_date_confirmed",
            supported_on="s.first_support_day" if summary else "first_support.day",
            vendor=connection.vendor,
        )
        if summary:
            supported = _SUMMARY_SQL.replace("__IS_NEW__", is_new)
        else:
            supported = _SUPPORTED_SQL.replace("__IS_NEW__", is_new).replace(
                "__SNAPSHOT__", _SNAPSHOT[connection.vendor]
            )
        cursor.execute(f"SELECT {select} FROM ({supported}) supported {tail}", params)  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


ENTERPRISE_FIGURES = (
    "supported",
    "grants",
    "non_financial",
    "micro",
    "small",
    "medium",
    "new",
    "founding_unconfirmed",
    "coached",
)


def enterprise_groups(*, phase, start: datetime.date, end: datetime.date) -> list[dict]:
    """The companies supported in a range counted per combination of what the enterprise figures count
    them by, read from the facts (one query): what ``reporting.tallies`` keeps."""
    return _supported(
        phase=phase,
        period=Range(start, end),
        source="facts",
        select="""
            city_at_support AS city, size_at_support AS size_class, has_grant AS "grant",
            has_non_financial AS non_financial, has_coaching AS coaching, is_new AS new,
            NOT founding_date_confirmed AS founding_unconfirmed, count(*) AS companies""",
        tail="GROUP BY 1, 2, 3, 4, 5, 6, 7",
    )


def enterprise_by_city(*, phase, period: Range, source: str = "auto") -> list[dict]:
    """RCO01/CO01 and what it is made of per city at the time of the support, each company once, most
    companies first (one query). ``enterprise_totals`` adds the cities up.

    ``source``: "facts" counts the support facts; "auto" reads the maintained tallies where they keep
    the range (reporting.tallies: every preset period of the phase and each cumulatively), else the
    per-company summary where it holds the range, else the facts. The figures are the same, which
    reporting/tests/test_facts.py checks."""
    if source == "auto" and tallies.is_kept(phase, period.start, period.end):
        return tallies.by_city(phase=phase, start=period.start, end=period.end)
    return _supported(
        phase=phase,
        period=period,
        source=source,
        select=f"""
            city_at_support AS city,
            count(*) AS supported,
            count(*) FILTER (WHERE has_grant) AS grants,
            count(*) FILTER (WHERE has_non_financial) AS non_financial,
            count(*) FILTER (WHERE size_at_support = '{SizeClass.MICRO}') AS micro,
            count(*) FILTER (WHERE size_at_support = '{SizeClass.SMALL}') AS small,
            count(*) FILTER (WHERE size_at_support = '{SizeClass.MEDIUM}') AS medium,
            count(*) FILTER (WHERE is_new) AS new,
            count(*) FILTER (WHERE NOT founding_date_confirmed) AS founding_unconfirmed,
            count(*) FILTER (WHERE has_coaching) AS coached""",
        tail="GROUP BY city_at_support ORDER BY supported DESC, city",
    )


def enterprise_by_city_of(*, phase, periods: list[Range]) -> list[list[dict]]:
    """``enterprise_by_city`` of each period: those whose tallies are kept in one query for all."""
    ranges = set(tallies.ranges(phase))
    kept = [period for period in periods if (period.start, period.end) in ranges]
    read = dict(
        zip(kept, tallies.by_city_of(phase=phase, ranges=[(p.start, p.end) for p in kept]), strict=True) if kept else []
    )
    return [read[period] if period in read else enterprise_by_city(phase=phase, period=period) for period in periods]


def enterprise_totals(by_city: list[dict]) -> dict[str, int]:
    """The figures of ``enterprise_by_city`` for all cities: each company is in one city only."""
    return {key: sum(row[key] for row in by_city) for key in ENTERPRISE_FIGURES}


def enterprise_indicators(*, phase, period: Range, source: str = "auto") -> dict[str, int]:
    """RCO01/CO01 and what it is made of, each company once (one query)."""
    return enterprise_totals(enterprise_by_city(phase=phase, period=period, source=source))


def supported_companies_annex(*, phase, period: Range, source: str = "auto") -> Rows:
    """The annex rows: every supported company once, with the aid of the vouchers of the phase approved
    for it in the period (one query). ``city_at_support`` and ``size_at_support`` are the figures'
    values; ``city`` and ``size_class`` the current profile."""
    rows = _supported(
        phase=phase,
        period=period,
        source=source,
        select="""
            supported.company_id AS pk, name, city, size_class, city_at_support, size_at_support, has_grant,
            has_non_financial, COALESCE(aid.amount, 0.00) AS aid, founding_date, founding_date_confirmed""",
        tail="""
            LEFT JOIN (
                SELECT company_id, sum(approved_amount) AS amount FROM innoscheck_application
                WHERE phase_id = %(phase)s AND approved_at >= %(from)s AND approved_at < %(until)s
                GROUP BY company_id
            ) aid ON aid.company_id = supported.company_id
            ORDER BY name, pk""",
        extra=_bounds(period),
    )
    for row in rows:
        row["founding_date"] = founded = as_date(row["founding_date"])
        row["founding_year"] = founded.year if founded else None
    return Rows(rows)


def _timestamp(day: datetime.date):
    """The first moment of ``day`` as a raw SQL parameter of this database (SQLite keeps UTC text)."""
    return connection.ops.adapt_datetimefield_value(day_start(day))


def _bounds(period: Range) -> dict:
    """The range as the raw SQL parameters ``from`` (its first moment) and ``until`` (the first after it)."""
    return {"from": _timestamp(period.start), "until": _timestamp(period.end + ONE_DAY)}


# One range's coaching figures in ``_coaching_rows``' statement: "r0_" stands for the range's prefix, and
# every value is a parameter of that prefix. Events and their registrations are counted apart (a join
# counted DISTINCT sorts every registration); a project counts when it was started or met in the range,
# with every company taking part.
_REGISTRATIONS = {
    # Each event's registrations counted from the index on (event, attended) alone: at 100 k companies
    # 10 ms for a whole phase's 80 k registrations, where a join hashed them in 16-20 ms.
    "postgresql": """
        SELECT COALESCE(sum(c.registered), 0) AS registered, COALESCE(sum(c.attended), 0) AS attended
        FROM coaching_event e CROSS JOIN LATERAL (
            SELECT count(*) AS registered, count(*) FILTER (WHERE r.attended) AS attended
            FROM coaching_eventregistration r WHERE r.event_id = e.id
        ) c
        WHERE e.starts_at >= %(r0_from)s AND e.starts_at < %(r0_until)s""",
    # SQLite (make run) has no LATERAL.
    "sqlite": """
        SELECT count(*) AS registered, count(*) FILTER (WHERE r.attended) AS attended
        FROM coaching_eventregistration r JOIN coaching_event e ON e.id = r.event_id
        WHERE e.starts_at >= %(r0_from)s AND e.starts_at < %(r0_until)s""",
}
_COACHING_CTES = """
    r0_registrations AS (__REGISTRATIONS__
    ), r0_projects AS (
        SELECT count(DISTINCT p.id) AS projects, count(DISTINCT pc.company_id) AS companies
        FROM coaching_project p LEFT JOIN coaching_project_companies pc ON pc.project_id = p.id
        WHERE (p.created_at >= %(r0_from)s AND p.created_at < %(r0_until)s) OR EXISTS (
            SELECT 1 FROM coaching_projectmeeting m
            WHERE m.project_id = p.id AND m.starts_at >= %(r0_from)s AND m.starts_at < %(r0_until)s)
    )"""
_COACHING_COLUMNS = """
    (__HELD__) AS r0_sessions_held,
    (__COACHED__) AS r0_companies_coached,
    (__EVENTS__) AS r0_events,
    r0_registrations.registered AS r0_event_registrations,
    r0_registrations.attended AS r0_event_participants,
    r0_projects.projects AS r0_projects,
    r0_projects.companies AS r0_project_companies,
    (__PEOPLE__) AS r0_people_reached"""
_COACHING_PARTS = {
    # Sessions held: the count per day ("auto") or the facts themselves ("facts").
    "held_auto": "SELECT COALESCE(sum(facts), 0) FROM reporting_supportday "
    "WHERE kind = %(r0_kind)s AND day BETWEEN %(r0_start)s AND %(r0_end)s",
    "held_facts": "SELECT count(*) FROM reporting_supportfact "
    "WHERE kind = %(r0_kind)s AND day BETWEEN %(r0_start)s AND %(r0_end)s",
    "coached_given": "SELECT %(r0_coached)s",
    "coached": "SELECT count(DISTINCT company_id) FROM reporting_supportfact "
    "WHERE kind = %(r0_kind)s AND day BETWEEN %(r0_start)s AND %(r0_end)s",
    # From the first contacts since the phase began (one count over their index), else distinct persons
    # among the range's contacts.
    "people_since_phase": "SELECT count(*) FROM reporting_firstcontact "
    "WHERE phase_id = %(r0_phase)s AND day <= %(r0_end)s",
    "people": "SELECT count(DISTINCT email) FROM reporting_personcontact WHERE day BETWEEN %(r0_start)s AND %(r0_end)s",
    "events": "SELECT count(*) FROM coaching_event WHERE starts_at >= %(r0_from)s AND starts_at < %(r0_until)s",
}


def _coaching_params(prefix: str, period: Range, *, phase=None, companies_coached: int | None = None) -> dict:
    """The parameters of one range's parts above, named with the range's prefix."""
    params = {
        "start": period.start,
        "end": period.end,
        **_bounds(period),
        "phase": phase.pk if phase is not None else None,
        "coached": companies_coached,
        "kind": SupportKind.COACHING,
    }
    return {f"{prefix}{key}": value for key, value in params.items()}


def contact_figures(period: Range) -> dict[str, int]:
    """Sessions held, people reached and events of ``period`` (every phase), in one statement: the
    funder's start page. Read from the maintained counts by the same parts as the indicator dashboard's
    columns, so the two always agree."""
    parts = ("sessions_held", "held_auto"), ("people_reached", "people"), ("events", "events")
    sql = "SELECT " + ", ".join(f"({_COACHING_PARTS[part]}) AS {name}" for name, part in parts)  # noqa: S608 - fixed parts
    with connection.cursor() as cursor:
        cursor.execute(sql, _coaching_params("r0_", period))
        row = cursor.fetchone()
    return {name: int(value or 0) for (name, _part), value in zip(parts, row, strict=True)}


def _coaching_range_sql(n: int, period: Range, *, companies_coached: int | None, source: str, phase) -> tuple:
    """One range's common table expressions, columns and parameters in ``_coaching_rows``' statement."""
    prefix = f"r{n}_"
    columns = (
        _COACHING_COLUMNS.replace("__HELD__", _COACHING_PARTS["held_facts" if source == "facts" else "held_auto"])
        .replace("__EVENTS__", _COACHING_PARTS["events"])
        .replace("__COACHED__", _COACHING_PARTS["coached" if companies_coached is None else "coached_given"])
        .replace(
            "__PEOPLE__",
            _COACHING_PARTS["people_since_phase" if phase is not None and period.start == phase.start else "people"],
        )
    )
    return (
        _COACHING_CTES.replace("__REGISTRATIONS__", _REGISTRATIONS[connection.vendor]).replace("r0_", prefix),
        columns.replace("r0_", prefix),
        f"{prefix}registrations, {prefix}projects",
        _coaching_params(prefix, period, phase=phase, companies_coached=companies_coached),
    )


def _coaching_rows(ranges: list[tuple[Range, int | None]], *, source: str, phase) -> list[dict[str, int]]:
    """The coaching figures of each (range, companies coached or None) in one statement."""
    ctes, columns, tables, params = [], [], [], {}
    for n, (period, coached) in enumerate(ranges):
        cte, column, table, values = _coaching_range_sql(
            n, period, companies_coached=coached, source=source, phase=phase
        )
        ctes.append(cte)
        columns.append(column)
        tables.append(table)
        params |= values
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(columns)} FROM {', '.join(tables)}"  # noqa: S608 - fixed fragments
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = dict(zip([column[0] for column in cursor.description], cursor.fetchone(), strict=True))
    figures = []
    for n, (period, _coached) in enumerate(ranges):
        values = {key: int(row[f"r{n}_{key}"] or 0) for key in COACHING_FIGURES}
        if source == "facts":
            values["people_reached"] = coaching_people_reached(start=period.start, end=period.end)
        figures.append(values)
    return figures


COACHING_FIGURES = (
    "sessions_held",
    "companies_coached",
    "events",
    "event_registrations",
    "event_participants",
    "projects",
    "project_companies",
    "people_reached",
)


def coaching_figures(
    *, period: Range, companies_coached: int | None = None, source: str = "auto", phase=None
) -> dict[str, int]:
    """Sessions held, companies coached, events with registrations and participants, projects and people
    reached (one query).

    ``companies_coached``: the count of ``enterprise_by_city`` (its "coached"), where already read; else
    it is counted too. ``source``: "facts" counts the held sessions' facts and the people reached in the
    source tables (one more query); "auto" adds up the held sessions' count per day and counts the
    people reached in their maintained contacts, from the first contacts since ``phase`` began where the
    range starts with it (reporting.contacts; the same figures, which reporting/tests/test_facts.py
    checks)."""
    return _coaching_rows([(period, companies_coached)], source=source, phase=phase)[0]


VOUCHER_FIGURES = (
    "submitted",
    "approved",
    "rejected",
    "withdrawn",
    "paid",
    "released_amount",
    "approved_amount",
    "paid_amount",
)
# The voucher figures of a range, as columns. A voucher counts in the range of each of its dated events;
# rejected means rejected at the decision (never approved), a rejection after approval is a withdrawn grant.
_VOUCHER_COLUMNS = """
    count(*) FILTER (WHERE a.submitted_at >= %(from)s AND a.submitted_at < %(until)s) AS submitted,
    count(*) FILTER (WHERE a.approved_at >= %(from)s AND a.approved_at < %(until)s) AS approved,
    count(*) FILTER (
        WHERE a.decided_at >= %(from)s AND a.decided_at < %(until)s
          AND a.status = %(rejected)s AND a.approved_at IS NULL
    ) AS rejected,
    count(*) FILTER (WHERE a.grant_withdrawn_at >= %(from)s AND a.grant_withdrawn_at < %(until)s) AS withdrawn,
    count(*) FILTER (WHERE a.paid_at >= %(from)s AND a.paid_at < %(until)s) AS paid,
    sum(a.approved_amount) FILTER (
        WHERE a.grant_withdrawn_at >= %(from)s AND a.grant_withdrawn_at < %(until)s
    ) AS released_amount,
    sum(a.approved_amount) FILTER (WHERE a.approved_at >= %(from)s AND a.approved_at < %(until)s)
        AS approved_amount,
    sum(a.verified_amount) FILTER (WHERE a.paid_at >= %(from)s AND a.paid_at < %(until)s) AS paid_amount"""
# The phase's vouchers with a dated event in the range: the others add nothing to any count or amount,
# and the date indexes find these without reading every voucher of the phase.
_VOUCHER_ACTIVE = """
    a.phase_id = %(phase)s AND (
        (a.submitted_at >= %(from)s AND a.submitted_at < %(until)s)
        OR (a.approved_at >= %(from)s AND a.approved_at < %(until)s)
        OR (a.decided_at >= %(from)s AND a.decided_at < %(until)s)
        OR (a.grant_withdrawn_at >= %(from)s AND a.grant_withdrawn_at < %(until)s)
        OR (a.paid_at >= %(from)s AND a.paid_at < %(until)s))"""
# Grouped by topic, city and partner: the city at approval, for vouchers not approved (yet) the
# company's current city; the partner responsible at submission (kept on the voucher). (Looking up only
# the cities of the vouchers without one, by key, took the current quarter at 100 k companies from 99 to
# 77 ms but the whole phase, what the dashboard opens with, from 84 to 132 ms.)
_VOUCHER_GROUPED = f"""
    SELECT a.topic AS topic_key, COALESCE(NULLIF(a.support_city, ''), co.city) AS city_key,
           po.short_name AS partner_key, {_VOUCHER_COLUMNS}
    FROM innoscheck_application a
    JOIN companies_company co ON co.id = a.company_id
    LEFT JOIN programme_partnerorganisation po ON po.id = a.partner_id
    WHERE {_VOUCHER_ACTIVE}
    GROUP BY a.topic, COALESCE(NULLIF(a.support_city, ''), co.city), po.short_name"""  # noqa: S608 - fixed
_VOUCHER_TOTALS = f"""
    SELECT {_VOUCHER_COLUMNS} FROM innoscheck_application a WHERE {_VOUCHER_ACTIVE}"""  # noqa: S608 - fixed fragments
VOUCHER_GROUPINGS = ("topic", "city", "partner")


def voucher_values(row: dict) -> dict:
    """The voucher figures of a row read raw: counts as ints, amounts as Decimals to the cent."""
    return {key: money(row[key] or 0) if key.endswith("_amount") else int(row[key] or 0) for key in VOUCHER_FIGURES}


def _voucher_rows(*, phase, period: Range, grouped: bool) -> list[dict]:
    """The rows of voucher figures of the range (one query): grouped by topic, city and partner, or one
    row of totals."""
    params = {
        "phase": phase.pk,
        **_bounds(period),
        "rejected": Status.REJECTED,
    }
    with connection.cursor() as cursor:
        cursor.execute(_VOUCHER_GROUPED if grouped else _VOUCHER_TOTALS, params)
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    return [{**row, **voucher_values(row)} for row in rows]


def voucher_totals(*, phase, period: Range) -> dict:
    """Vouchers submitted / approved / rejected / withdrawn / paid in the period, with amounts (one query)."""
    (row,) = _voucher_rows(phase=phase, period=period, grouped=False)
    return row


def voucher_figures(*, phase, period: Range) -> dict:
    """``voucher_totals`` and the ``voucher_breakdown`` per topic, city and partner at once (one query,
    grouped by all three; counts and amounts add up over the groups)."""
    rows = _voucher_rows(phase=phase, period=period, grouped=True)
    totals = {key: sum((row[key] for row in rows), ZERO if key.endswith("_amount") else 0) for key in VOUCHER_FIGURES}
    figures = {"totals": totals}
    for by in VOUCHER_GROUPINGS:
        groups: dict = {}
        for row in rows:
            group = groups.setdefault(row[f"{by}_key"], dict.fromkeys(VOUCHER_FIGURES, 0))
            for key in VOUCHER_FIGURES:
                group[key] += row[key]
        labels = dict(Topic.choices) if by == "topic" else {}
        figures[by] = [
            {"key": key, **group, "label": str(labels.get(key, key or "–"))}
            for key, group in sorted(groups.items(), key=lambda item: _sort_key(item[0]))
            # Groups without any activity in the period are left out.
            if any(group[name] for name in ("submitted", "approved", "rejected", "withdrawn", "paid"))
        ]
    return figures


def _sort_key(value: str | None) -> tuple:
    """Names in the order a German reader expects (Ä with A, case ignored), the same on every database."""
    text = value or ""
    plain = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return (plain.casefold(), text)


def voucher_breakdown(*, phase, period: Range, by: str) -> list[dict]:
    """The counts of ``voucher_totals`` per topic, city or partner (one query); groups without any
    activity are left out."""
    return voucher_figures(phase=phase, period=period)[by]


def _decision_seconds(value) -> float:
    """A submission-to-decision time as read raw: an interval (PostgreSQL) or microseconds (SQLite)."""
    return value.total_seconds() if isinstance(value, datetime.timedelta) else value / 1_000_000


# The decided vouchers of a range: "__DURATION__" is the database's own difference of two moments.
_DECIDED = """
    FROM innoscheck_application
    WHERE phase_id = %s AND submitted_at IS NOT NULL AND decided_at >= %s AND decided_at < %s"""
_MIDDLE_TIMES = {
    # The one or two middle times of the range: for n times, the first whose share of the ordered times
    # reaches one half (position n/2 for an even n, else the middle one), and the first beyond one half
    # (position n/2 + 1 for an even n, else the middle one again). One ordered-set aggregate, no window.
    "postgresql": f"""
        SELECT %s AS n, unnest(percentile_disc(ARRAY[0.5, 0.5 + 1e-9]) WITHIN GROUP (ORDER BY __DURATION__))
        {_DECIDED}""",
    # SQLite (make run): the same positions by row number.
    "sqlite": f"""
        SELECT %s AS n, duration FROM (
            SELECT __DURATION__ AS duration, row_number() OVER (ORDER BY __DURATION__) AS position,
                   count(*) OVER () AS total
            {_DECIDED}
        ) ranked WHERE position IN ((total + 1) / 2, (total + 2) / 2)""",  # noqa: S608 - fixed fragments
}


def median_decision_days_of(*, phase, periods: list[Range]) -> list[Decimal | None]:
    """``median_decision_days`` of each period, in one query: each period's one or two middle times."""
    duration, _ = connection.ops.subtract_temporals("DateTimeField", ("decided_at", ()), ("submitted_at", ()))
    middle_times = _MIDDLE_TIMES[connection.vendor].replace("__DURATION__", duration)
    params = []
    for n, period in enumerate(periods):
        bounds = _bounds(period)
        params += [n, phase.pk, bounds["from"], bounds["until"]]
    middles: dict[int, list[float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([middle_times] * len(periods)), params)
        for n, value in cursor.fetchall():
            if value is not None:  # no decided voucher in the range
                middles.setdefault(n, []).append(_decision_seconds(value))
    medians = []
    for n in range(len(periods)):
        middle = middles.get(n)
        seconds = sum(middle) / len(middle) if middle else None
        medians.append(None if seconds is None else (Decimal(seconds) / Decimal(86400)).quantize(Decimal("0.1")))
    return medians


def median_decision_days(*, phase, period: Range) -> Decimal | None:
    """Median days from submission to the first decision (approval or rejection) of the vouchers decided
    in the period (one query); what happened to them afterwards does not matter."""
    return median_decision_days_of(phase=phase, periods=[period])[0]


# The phase's budget at the end of a day ("%(until)s": the next day's first moment): reserved is what
# was approved by then and neither withdrawn nor paid by then; paid what was paid by then.
_BUDGET_COLUMNS = """
    sum(a.approved_amount) FILTER (
        WHERE a.approved_at < %(until)s AND (a.grant_withdrawn_at IS NULL OR a.grant_withdrawn_at >= %(until)s)
          AND (a.paid_at IS NULL OR a.paid_at >= %(until)s)
    ) AS budget_reserved,
    sum(a.verified_amount) FILTER (WHERE a.paid_at < %(until)s) AS budget_paid"""


def budget_of(*, phase, as_of: datetime.date, reserved, paid) -> dict:
    """The budget status from what was reserved and paid at the end of ``as_of`` (read raw or summed)."""
    total = phase.voucher_budget
    reserved, paid = money(reserved or 0), money(paid or 0)
    committed = reserved + paid
    elapsed = (min(as_of, phase.end) - phase.start).days + 1
    duration = (phase.end - phase.start).days + 1
    forecast = (committed * duration / elapsed).quantize(Decimal("0.01")) if elapsed > 0 else ZERO
    return {
        "total_budget": phase.total_budget,
        "voucher_budget": total,
        "reserved": reserved,
        "paid": paid,
        "free": total - committed,
        "committed_share": (committed * 100 / total).quantize(Decimal("0.1")) if total else ZERO,
        "forecast_committed": forecast,
        "forecast_share": (forecast * 100 / total).quantize(Decimal("0.1")) if total else ZERO,
    }


def budget_status(*, phase, as_of: datetime.date) -> dict:
    """Voucher budget of the phase: reserved, paid and free at the end of ``as_of`` from the dated
    events (approved, withdrawn, paid), and a linear forecast (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_BUDGET_COLUMNS} FROM innoscheck_application a WHERE a.phase_id = %(phase)s",  # noqa: S608 - fixed
            {"phase": phase.pk, "until": _timestamp(as_of + ONE_DAY)},
        )
        reserved, paid = cursor.fetchone()
    return budget_of(phase=phase, as_of=as_of, reserved=reserved, paid=paid)


def money(value) -> Decimal:
    """A sum of amounts as read raw: a Decimal (PostgreSQL) or a float or int (SQLite), to the cent."""
    return (value if isinstance(value, Decimal) else Decimal(repr(value))).quantize(Decimal("0.01"))


# Per month of the programme's time zone up to ``as_of``: what approvals bound, what withdrawals freed and
# what payments freed (the part of the grant not paid). "__MONTH(x)__" is the database's own truncation.
_BURNDOWN_SQL = """
    SELECT 'committed', __MONTH(approved_at)__, sum(approved_amount) FROM innoscheck_application
    WHERE phase_id = %s AND approved_at < %s GROUP BY 2
    UNION ALL
    SELECT 'released', __MONTH(grant_withdrawn_at)__, sum(approved_amount) FROM innoscheck_application
    WHERE phase_id = %s AND grant_withdrawn_at < %s GROUP BY 2
    UNION ALL
    SELECT 'unpaid', __MONTH(paid_at)__, sum(approved_amount - verified_amount) FROM innoscheck_application
    WHERE phase_id = %s AND paid_at < %s GROUP BY 2"""


def budget_burndown(*, phase, as_of: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """Free voucher budget at the end of each month with a budget event, from the phase start (one
    query): an approval binds its amount, a withdrawal frees it, a payment frees what was not paid."""
    sql, params = _BURNDOWN_SQL, []
    until = _timestamp(as_of + ONE_DAY)
    tzname = timezone.get_default_timezone_name()  # the programme's months, as the maintained days
    for column in ("approved_at", "grant_withdrawn_at", "paid_at"):
        month, month_params = connection.ops.datetime_trunc_sql("month", column, (), tzname)
        sql = sql.replace(f"__MONTH({column})__", month)
        params += [*month_params, phase.pk, until]
    changes: dict[datetime.date, Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, month, amount in cursor.fetchall():
            amount = money(amount or 0)
            month = as_date(month)
            changes[month] = changes.get(month, ZERO) + (-amount if kind == "committed" else amount)
    return burndown_points(phase=phase, changes=changes)


def burndown_points(*, phase, changes: dict[datetime.date, Decimal]) -> list[tuple[datetime.date, Decimal]]:
    """The free voucher budget from the phase start and after each month whose change of it is not zero."""
    free = phase.voucher_budget
    points = [(phase.start, free)]
    for month in sorted(changes):
        if changes[month]:
            free += changes[month]
            points.append((month, free))
    return points


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    code_2021: str
    code_2014: str
    label: str
    period: int
    cumulative: int


ENTERPRISE_ROWS = [
    ("supported", "RCO01", "CO01", _("Enterprises supported")),
    ("grants", "RCO02", "CO02", _("… of which supported by grants (vouchers)")),
    ("non_financial", "RCO04", "CO04", _("… of which with non-financial support (coaching, projects, events)")),
    ("micro", "RCO01", "CO01", _("… of which micro enterprises")),
    ("small", "RCO01", "CO01", _("… of which small enterprises")),
    ("medium", "RCO01", "CO01", _("… of which medium-sized enterprises")),
    ("new", "RCO05", "CO05", _("New enterprises supported (less than three years old at the first support)")),
    (
        "founding_unconfirmed",
        "",
        "",
        _("… supported enterprises whose founding date is not confirmed (never counted as new)"),
    ),
]


def enterprise_indicators_with_cumulative(*, phase, period: Range, current: dict | None = None) -> tuple[dict, dict]:
    """The enterprise figures of the period and cumulatively since the phase began (two queries; one when
    the period starts with the phase, none more when ``current``, the period's, are given)."""
    if current is None:
        current = enterprise_indicators(phase=phase, period=period)
    cumulative_period = cumulative_range(phase=phase, period=period)
    # A period that starts with the phase is its own cumulative range (the whole phase, the first quarter).
    if cumulative_period == period:
        return current, current
    return current, enterprise_indicators(phase=phase, period=cumulative_period)


def coaching_figures_with_cumulative(
    *, period: Range, cumulative_period: Range, enterprises: dict, enterprises_cumulative: dict, phase=None
) -> tuple[dict, dict]:
    """``coaching_figures`` of the period and of its cumulative range in one query (one range when they
    are the same), with the companies coached taken from the enterprise figures of each."""
    if cumulative_period == period:
        current = coaching_figures(period=period, companies_coached=enterprises["coached"], phase=phase)
        return current, current
    current, cumulative = _coaching_rows(
        [(period, enterprises["coached"]), (cumulative_period, enterprises_cumulative["coached"])],
        source="auto",
        phase=phase,
    )
    return current, cumulative


def indicator_table(
    *, phase, period: Range, current: dict | None = None, cumulative: dict | None = None
) -> list[IndicatorRow]:
    """The output indicators for the period and cumulatively since the phase began (two queries; one
    when the period starts with the phase; none when both figures, read by
    ``enterprise_indicators_with_cumulative``, are given)."""
    if current is None or cumulative is None:
        current, cumulative = enterprise_indicators_with_cumulative(phase=phase, period=period, current=current)
    return [
        IndicatorRow(key, code_2021, code_2014, str(label), current[key], cumulative[key])
        for key, code_2021, code_2014, label in ENTERPRISE_ROWS
    ]


def cumulative_range(*, phase, period: Range) -> Range:
    return Range(min(phase.start, period.start), period.end)


def supported_by_city(*, phase, period: Range, source: str = "auto", by_city: list[dict] | None = None) -> list[dict]:
    """Supported companies per city at the time of their support (one query, none when ``by_city``,
    the rows of ``enterprise_by_city``, are given)."""
    if by_city is None:
        by_city = enterprise_by_city(phase=phase, period=period, source=source)
    return [{"city": row["city"], "companies": row["supported"]} for row in by_city]
