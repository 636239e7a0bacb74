"""Fill PostgreSQL with a full funding phase for the report benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench \
        .venv/bin/python bench/generate_report_data.py --companies 5000

Creates the phase "Benchmark phase" with N supported companies: about 60 % with an approved or paid
voucher, every company with a held coaching session (two participants), a third at one of 40 events,
and some rejected applications. Each table is filled by one INSERT … SELECT over generate_series, so
the script runs the same, small number of SQL statements whatever N is. Running it again replaces the
benchmark data.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")

PHASE_NAME = "Benchmark phase"
PREFIX = "Bench "


def generate(*, companies: int) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, User
    from programme.choices import Region
    from programme.models import FundingPhase, PartnerOrganisation

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        phase, _ = FundingPhase.objects.update_or_create(
            name=PHASE_NAME,
            defaults={
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2026, 12, 31),
                "total_budget": Decimal("60000000.00"),
                "voucher_budget": Decimal("50000000.00"),
            },
        )
        user, _ = User.objects.get_or_create(email="bench@digitale-fabrik.example", defaults={"role": Role.COMPANY})
        partner, _ = PartnerOrganisation.objects.get_or_create(
            short_name="BENCH",
            defaults={"name": "Benchmark partner", "kind": PartnerOrganisation.Kind.CHAMBER, "city": Region.DORTMUND},
        )
        params = {"n": companies, "phase": phase.pk, "user": user.pk, "partner": partner.pk, "prefix": PREFIX}
        with connection.cursor() as cursor:
            for statement in STATEMENTS:
                cursor.execute(statement, params)
    return {"queries": len(queries), "seconds": round(time.monotonic() - started, 2), "phase": phase.pk}


STATEMENTS = [
    # Remove the previous run's records (children first).
    """DELETE FROM coaching_eventregistration WHERE event_id IN
           (SELECT id FROM coaching_event WHERE title LIKE %(prefix)s || '%%')""",
    "DELETE FROM coaching_event WHERE title LIKE %(prefix)s || '%%'",
    """DELETE FROM coaching_sessionparticipant WHERE session_id IN (SELECT s.id FROM coaching_session s
           JOIN coaching_case c ON c.id = s.case_id JOIN companies_company co ON co.id = c.company_id
           WHERE co.name LIKE %(prefix)s || '%%')""",
    """DELETE FROM coaching_session WHERE case_id IN (SELECT c.id FROM coaching_case c
           JOIN companies_company co ON co.id = c.company_id WHERE co.name LIKE %(prefix)s || '%%')""",
    """DELETE FROM coaching_case WHERE company_id IN
           (SELECT id FROM companies_company WHERE name LIKE %(prefix)s || '%%')""",
    "DELETE FROM innoscheck_application WHERE phase_id = %(phase)s",
    "DELETE FROM companies_company WHERE name LIKE %(prefix)s || '%%'",
    # Companies: sizes, cities and founding years spread over the range.
    """INSERT INTO companies_company (name, legal_form, street, postcode, city, region, chamber, wz_section, wz_code,
           founding_date, staff_headcount, annual_turnover, balance_sheet_total, website, contact_name, contact_email,
           contact_phone, linked_enterprises_included, size_class, created_at, updated_at)
       SELECT %(prefix)s || 'Metallbau ' || lpad(g::text, 5, '0') || ' GmbH & Co. KG', 'gmbh_co_kg',
           'Industriestr. ' || g, lpad((44000 + g %% 1000)::text, 5, '0'),
           (ARRAY['Dortmund', 'Bochum', 'Hagen', 'Witten', 'Unna', 'Herne', 'Schwerte', 'Iserlohn'])[1 + g %% 8],
           (ARRAY['dortmund', 'bochum', 'hagen', 'other'])[1 + g %% 4], 'ihk_do', 'C', '25.62',
           make_date(1960 + g %% 65, 1 + g %% 12, 1 + g %% 28), 5 + g %% 200, 1000000 + g * 1000,
           900000 + g * 900, '', 'Kontakt ' || g,
           'kontakt' || g || '@bench.example', '', true,
           (ARRAY['micro', 'small', 'medium'])[1 + g %% 3], now(), now()
       FROM generate_series(1, %(n)s) AS g""",
    # Vouchers: 60 % granted (half of them paid), spread over 30 months of the phase.
    """INSERT INTO innoscheck_application (client_token, status, topic, title, description, goals, expert_days,
           daily_rate, calculated_amount, requested_amount, sme_confirmed, deminimis_declaration, submitted_at,
           decided_at, approved_amount, voucher_number, valid_until, voucher_pdf, certificate_pdf, verified_amount,
           paid_at, created_at, updated_at, company_id, created_by_id, partner_id, phase_id)
       SELECT gen_random_uuid(), CASE WHEN c.rn %% 2 = 0 THEN 'paid' ELSE 'approved' END,
           (ARRAY['digital_sales', 'assistance_systems', 'additive_manufacturing', 'it_security', 'ai_data',
                  'inventory_management', 'energy_management'])[1 + c.rn %% 7],
           'Digitalisierungsschritt ' || c.rn, '', '', 5, 1000, 5000, 2000 + (c.rn %% 80) * 100, true, 'none',
           d.submitted, d.submitted + make_interval(days => (5 + c.rn %% 40)::int), 2000 + (c.rn %% 80) * 100,
           'ISR-B-' || c.rn, (d.submitted + interval '200 days')::date, '', '',
           CASE WHEN c.rn %% 2 = 0 THEN 2000 + (c.rn %% 80) * 100 END,
           CASE WHEN c.rn %% 2 = 0 THEN d.submitted + interval '150 days' END,
           d.submitted, d.submitted, c.id, %(user)s, %(partner)s, %(phase)s
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM companies_company
             WHERE name LIKE %(prefix)s || '%%') AS c
       CROSS JOIN LATERAL (SELECT timestamptz '2024-01-15 10:00+01' + make_interval(days => (c.rn %% 900)::int)
             AS submitted) AS d
       WHERE c.rn %% 10 < 6""",
    # Some rejected applications.
    """INSERT INTO innoscheck_application (client_token, status, topic, title, description, goals, requested_amount,
           sme_confirmed, deminimis_declaration, submitted_at, decided_at, voucher_pdf, certificate_pdf, created_at,
           updated_at, company_id, created_by_id, partner_id, phase_id)
       SELECT gen_random_uuid(), 'rejected', 'it_security', 'Abgelehnt ' || c.rn, '', '', 9000, true, 'none',
           timestamptz '2024-02-01 10:00+01' + make_interval(days => (c.rn %% 800)::int),
           timestamptz '2024-02-20 10:00+01' + make_interval(days => (c.rn %% 800)::int), '', '', now(), now(),
           c.id, %(user)s, %(partner)s, %(phase)s
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM companies_company
             WHERE name LIKE %(prefix)s || '%%') AS c
       WHERE c.rn %% 10 = 7""",
    # One coaching case per company with a held session and two participants.
    """INSERT INTO coaching_case (topic, description, preferred_form, preferred_dates, status, outcome, outcome_note,
           created_at, company_id)
       SELECT 'it_security', 'Benchmark', 'online', '', 'in_progress', '', '', now(), id
       FROM companies_company WHERE name LIKE %(prefix)s || '%%'""",
    """INSERT INTO coaching_session (status, starts_at, duration_hours, form, location, shared_notes, internal_notes,
           created_at, case_id)
       SELECT 'held', timestamptz '2024-01-10 09:00+01' + make_interval(days => (c.id %% 1000)::int), 2, 'online', '',
           '', '', now(), c.id
       FROM coaching_case c JOIN companies_company co ON co.id = c.company_id WHERE co.name LIKE %(prefix)s || '%%'""",
    """INSERT INTO coaching_sessionparticipant (name, email, session_id)
       SELECT 'Person ' || s.id || '-' || k, 'person' || s.id || '-' || k || '@bench.example', s.id
       FROM coaching_session s JOIN coaching_case c ON c.id = s.case_id
       JOIN companies_company co ON co.id = c.company_id CROSS JOIN generate_series(1, 2) AS k
       WHERE co.name LIKE %(prefix)s || '%%'""",
    # 40 events; a third of the companies attend one.
    """INSERT INTO coaching_event (title, kind, starts_at, place, topic, capacity, description, created_at,
           organiser_id)
       SELECT %(prefix)s || 'Workshop ' || g, 'workshop',
           timestamptz '2024-02-01 17:00+01' + make_interval(days => (g * 20)::int),
           'Dortmund', 'ai_data', 500, '', now(), %(partner)s
       FROM generate_series(1, 40) AS g""",
    """INSERT INTO coaching_eventregistration (name, email, registered_at, attended, company_id, event_id)
       SELECT 'Gast ' || c.rn, 'gast' || c.rn || '@bench.example', now(), true, c.id,
           (SELECT min(id) FROM coaching_event WHERE title LIKE %(prefix)s || '%%') + c.rn %% 40
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM companies_company
             WHERE name LIKE %(prefix)s || '%%') AS c
       WHERE c.rn %% 3 = 0""",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=5000)
    args = parser.parse_args()
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (generate_series is PostgreSQL's).")
    result = generate(companies=args.companies)
    print(f"{args.companies} companies in phase {result['phase']}: ", end="")
    print(f"{result['queries']} SQL statements, {result['seconds']} s")


if __name__ == "__main__":
    main()
