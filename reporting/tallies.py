"""The enterprise figures of the dashboard's ranges, maintained as counts (``EnterpriseTally``).

A range's enterprise figures count companies, each once, so they do not add up over days: the
companies supported in a quarter are not the sum of those of its days. They do add up over companies.
So for every range the dashboard and the reports offer for a phase (``ranges``) each company falls
into one combination of what the figures count it by (city and size class at the support, grant,
non-financial support, coaching, new enterprise, founding date unconfirmed), and the tally keeps how
many companies are in each. A step that changes a company's support facts or its founding date adds
the difference between the company's combinations before and after (``_combinations``, the rule of
``reporting.indicators``' SQL written for one company), in the same transaction and as an increment,
so that two steps for different companies both count.

Two steps for the same company at once would each see the company without the other's facts; the
company's row is locked first, so the second one reads the facts the first one committed.

``recount`` counts every tally anew with the figures' own SQL (``rebuild_indicators``, a new phase or
new phase dates); ``reporting/tests/test_facts.py`` checks with random sequences of steps that the
maintained tallies always equal that count.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection

from companies.founding import is_new_enterprise
from companies.models import Company
from digitalfabrik.dates import as_date
from programme.choices import SizeClass
from programme.models import FundingPhase

from .models import EnterpriseTally, PeriodPreset, SupportFact, SupportKind
from .periods import period_for

# What a combination is made of, in the order of the tally's unique key.
KEY = ("city", "size_class", "grant", "non_financial", "coaching", "new", "founding_unconfirmed")
# The fields of a fact the combinations are taken from.
FACT_FIELDS = ("company_id", "kind", "phase_id", "at", "id", "day", "size_class", "city")


@dataclass(frozen=True)
class Fact:
    company_id: int
    kind: int
    phase_id: int | None
    at: datetime.datetime
    id: int
    day: datetime.date
    size_class: str
    city: str


# The preset periods of a calendar year (reporting.periods.period_for), besides the phase itself.
_PRESETS = [(PeriodPreset.QUARTER, part) for part in (1, 2, 3, 4)] + [
    (PeriodPreset.HALF_YEAR, 1),
    (PeriodPreset.HALF_YEAR, 2),
    (PeriodPreset.YEAR, None),
]


def ranges(phase) -> list[tuple[datetime.date, datetime.date]]:
    """The ranges whose figures are kept for ``phase``: every calendar quarter, half-year and year that
    overlaps it, the phase itself, and each of them cumulatively since the phase began (the ranges of
    ``reporting.periods.period_for`` and of ``indicators.cumulative_range``)."""
    periods = {(phase.start, phase.end)}
    for year in range(phase.start.year, phase.end.year + 1):
        for preset, part in _PRESETS:
            period = period_for(preset=preset, phase=phase, year=year, part=part)
            periods.add((period.start, period.end))
    periods = {(start, end) for start, end in periods if start <= phase.end and end >= phase.start}
    periods |= {(min(phase.start, start), end) for start, end in periods}
    return sorted(periods)


def is_kept(phase, start: datetime.date, end: datetime.date) -> bool:
    return (start, end) in ranges(phase)


def _combinations(facts: list[Fact], *, founding_date, confirmed: bool, phases: list) -> Counter:
    """The tally keys one company counts in, from all its facts (the rule of indicators._SUPPORTED_SQL)."""
    keys: Counter = Counter()
    for phase in phases:
        mine = [fact for fact in facts if fact.kind != SupportKind.GRANT or fact.phase_id == phase.pk]
        if not mine:
            continue
        # The day of the first support in the phase, for the new-enterprise rule: the first grant of the
        # phase whatever its day, or the first held session within the phase's dates.
        first = min(
            (
                fact.day
                for fact in mine
                if fact.kind == SupportKind.GRANT
                or (fact.kind == SupportKind.COACHING and phase.start <= fact.day <= phase.end)
            ),
            default=None,
        )
        new = bool(
            confirmed
            and founding_date is not None
            and first is not None
            and is_new_enterprise(founding_date=founding_date, supported_on=first)
        )
        for start, end in phase.tally_ranges:
            within = [fact for fact in mine if start <= fact.day <= end]
            if not within:
                continue
            snapshot = min(within, key=lambda fact: (fact.kind, fact.at, fact.id))
            kinds = {fact.kind for fact in within}
            key = (
                phase.pk,
                start,
                end,
                snapshot.city,
                snapshot.size_class,
                SupportKind.GRANT in kinds,
                any(kind != SupportKind.GRANT for kind in kinds),
                SupportKind.COACHING in kinds,
                new,
                not confirmed,
            )
            keys[key] += 1
    return keys


def _phases() -> list:
    phases = list(FundingPhase.objects.only("pk", "start", "end"))
    for phase in phases:
        phase.tally_ranges = ranges(phase)
    return phases


# Increments commute: two steps each add their own difference (the row lock orders them).
_COLUMNS = 'phase_id, start, "end", city, size_class, "grant", non_financial, coaching, new, founding_unconfirmed'
_ADD = f"""
    INSERT INTO reporting_enterprisetally ({_COLUMNS}, companies) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT ({_COLUMNS}) DO UPDATE SET companies = reporting_enterprisetally.companies + excluded.companies
"""  # noqa: S608 - fixed column names; every value is a parameter


def _add(after: Counter, before: Counter) -> None:
    changes = sorted((key, after[key] - before[key]) for key in after | before if after[key] != before[key])
    if changes:  # in key order, so that two steps never wait for each other's rows crosswise
        with connection.cursor() as cursor:
            cursor.executemany(_ADD, [(*key, change) for key, change in changes])


def _facts_of(companies: Iterable[int]) -> dict[int, list[Fact]]:
    by_company: dict[int, list[Fact]] = {}
    for row in SupportFact.objects.filter(company_id__in=companies).values_list(*FACT_FIELDS):
        by_company.setdefault(row[0], []).append(Fact(*row))
    return by_company


def lock(companies: Iterable[int]) -> None:
    """Lock the companies' rows (in id order) before their facts are read, so that a concurrent step for
    the same company waits and then reads the facts this one commits."""
    list(Company.objects.select_for_update(no_key=True).filter(pk__in=companies).order_by("pk").values_list("pk"))


def facts_changed(*, scope: str, before: list[Fact], companies: set[int]) -> None:
    """After the facts of ``scope`` were rewritten (``before``: the ones it had): add the difference to
    the tallies of ``companies`` (locked by the caller before it read ``before``)."""
    if not companies:
        return
    phases = _phases()
    now = _facts_of(companies)
    founding = {
        pk: (founding_date, confirmed)
        for pk, founding_date, confirmed in Company.objects.filter(pk__in=companies).values_list(
            "pk", "founding_date", "founding_date_confirmed"
        )
    }
    scoped = set(SupportFact.objects.filter(scope=scope).values_list("pk", flat=True))
    after_keys: Counter = Counter()
    before_keys: Counter = Counter()
    for company in companies:
        founding_date, confirmed = founding[company]
        facts = now.get(company, [])
        earlier = [fact for fact in facts if fact.id not in scoped] + [
            fact for fact in before if fact.company_id == company
        ]
        after_keys += _combinations(facts, founding_date=founding_date, confirmed=confirmed, phases=phases)
        before_keys += _combinations(earlier, founding_date=founding_date, confirmed=confirmed, phases=phases)
    _add(after_keys, before_keys)


def scope_facts(scope: str) -> list[Fact]:
    return [Fact(*row) for row in SupportFact.objects.filter(scope=scope).values_list(*FACT_FIELDS)]


def founding_changed(*, company: int, before: tuple, after: tuple) -> None:
    """A company's founding date or its confirmation changed (``before`` and ``after``: the pair, which
    differ: companies.services publishes only a change)."""
    facts = _facts_of([company]).get(company, [])
    if not facts:
        return
    phases = _phases()
    _add(
        _combinations(facts, founding_date=after[0], confirmed=after[1], phases=phases),
        _combinations(facts, founding_date=before[0], confirmed=before[1], phases=phases),
    )


def recount(groups: Callable[..., list[dict]]) -> int:
    """Every tally anew: ``groups(phase=, start=, end=)`` gives a range's companies counted per
    combination (the figures' SQL over the facts); returns how many rows there are."""
    EnterpriseTally.objects.all().delete()
    rows = [
        EnterpriseTally(phase=phase, start=start, end=end, companies=group.pop("companies"), **group)
        for phase in FundingPhase.objects.all()
        for start, end in ranges(phase)
        for group in groups(phase=phase, start=start, end=end)
    ]
    EnterpriseTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# The enterprise figures (indicators.ENTERPRISE_FIGURES) per city as sums over the tally's rows of the
# ranges asked for ("__RANGES__": one "(start = … AND end = …)" per range), most companies first.
_BY_CITY_SQL = """
    SELECT start, "end", city, sum(companies) AS supported,
           COALESCE(sum(companies) FILTER (WHERE "grant"), 0) AS grants,
           COALESCE(sum(companies) FILTER (WHERE non_financial), 0) AS non_financial,
           COALESCE(sum(companies) FILTER (WHERE size_class = %(micro)s), 0) AS micro,
           COALESCE(sum(companies) FILTER (WHERE size_class = %(small)s), 0) AS small,
           COALESCE(sum(companies) FILTER (WHERE size_class = %(medium)s), 0) AS medium,
           COALESCE(sum(companies) FILTER (WHERE new), 0) AS new,
           COALESCE(sum(companies) FILTER (WHERE founding_unconfirmed), 0) AS founding_unconfirmed,
           COALESCE(sum(companies) FILTER (WHERE coaching), 0) AS coached
    FROM reporting_enterprisetally
    WHERE phase_id = %(phase)s AND companies > 0 AND (__RANGES__)
    GROUP BY start, "end", city
    ORDER BY start, "end", supported DESC, city"""


def by_city_of(*, phase, ranges: list[tuple[datetime.date, datetime.date]]) -> list[list[dict]]:
    """The enterprise figures of each kept range per city, most companies first (one query over the
    tally for all of them)."""
    params = {"phase": phase.pk, "micro": SizeClass.MICRO, "small": SizeClass.SMALL, "medium": SizeClass.MEDIUM}
    conditions = []
    for n, (start, end) in enumerate(ranges):
        conditions.append(f'(start = %(start{n})s AND "end" = %(end{n})s)')
        params |= {f"start{n}": start, f"end{n}": end}
    found: dict[tuple, list[dict]] = {}
    with connection.cursor() as cursor:
        # The conditions are fixed text with one numbered parameter pair per range.
        cursor.execute(_BY_CITY_SQL.replace("__RANGES__", " OR ".join(conditions)), params)
        columns = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            key = (as_date(row.pop("start")), as_date(row.pop("end")))
            found.setdefault(key, []).append(
                {name: value if name == "city" else int(value) for name, value in row.items()}
            )
    return [found.get(key, []) for key in ranges]


def by_city(*, phase, start: datetime.date, end: datetime.date) -> list[dict]:
    """The enterprise figures of a kept range per city, most companies first (one query over the tally)."""
    return by_city_of(phase=phase, ranges=[(start, end)])[0]
