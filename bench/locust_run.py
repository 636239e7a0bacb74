#!/usr/bin/env python
"""Realistic load: how many people the portal carries (Locust, headless; bench/locustfile.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/locust_run.py

Needs the data of bench/generate_scale_data.py. Creates one account per simulated person (company
members with a draft application each, coaches with a case each, staff of the lead partner,
funders; password and TOTP secret of the benchmark), starts gunicorn with the production settings
(2 sync workers by default, plain HTTP on 127.0.0.1) and runs Locust with more and more people:
companies 80 %, coaches 10 %, staff 8 %, funders 2 %, logins included, 3–10 s of think time,
about one request in ten a write. Each step ramps up, then measures for --seconds. Prints, per
step, the requests per second, p50/p95 and errors, and for the largest step that held
(p95 < 200 ms and no error) the table per page, the bare view measured in the same run.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import start_gunicorn  # noqa: E402

TARGET_P95_MS = 200
SHARES = {"company": 0.80, "coach": 0.10, "staff": 0.08, "funder": 0.02}
PREFIX = "locust"


def prepare_accounts(most_people: int) -> dict:
    """One account per simulated person and role, created once (idempotent), with what it works on."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from generate_scale_data import BENCH_PASSWORD, BENCH_TOTP_SECRET

    from accounts.factories import UserFactory
    from accounts.models import Role, User
    from coaching.models import Case
    from companies.factories import MembershipFactory
    from companies.models import Company, Membership
    from innoscheck import services as vouchers
    from innoscheck.models import Application
    from innoscheck.workflow import Status
    from programme.models import FundingPhase, PartnerOrganisation

    phase = FundingPhase.objects.running()
    lead = PartnerOrganisation.objects.filter(is_lead=True).first()
    password = make_password(BENCH_PASSWORD)
    counts = {role: max(1, round(most_people * share) + 2) for role, share in SHARES.items()}
    accounts: dict = {"password": BENCH_PASSWORD, "totp_secret": BENCH_TOTP_SECRET, "phase": phase.pk}

    def users(role: str, django_role: str, **extra) -> list:
        wanted = [f"{PREFIX}.{role}{index:04d}@bench.example" for index in range(counts[role])]
        existing = {user.email: user for user in User.objects.filter(email__in=wanted)}
        created = User.objects.bulk_create(
            UserFactory.build(
                email=email, role=django_role, password=password, first_name="Locust", last_name=role, **extra
            )
            for email in wanted
            if email not in existing
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in created
        )
        every = [*existing.values(), *created]
        if django_role != Role.COMPANY:
            with_totp = set(
                Authenticator.objects.filter(user__in=every, type=Authenticator.Type.TOTP).values_list(
                    "user_id", flat=True
                )
            )
            for user in every:
                if user.pk not in with_totp:
                    TOTP.activate(user, BENCH_TOTP_SECRET)
        return sorted(every, key=lambda user: user.email)

    with transaction.atomic():
        companies = users("company", Role.COMPANY)
        free = Company.objects.exclude(memberships__user__email__startswith=f"{PREFIX}.").order_by("pk")
        entries = []
        for user, company in zip(companies, free.iterator(), strict=False):
            membership = Membership.objects.filter(user=user).select_related("company").first()
            if membership is None:
                membership = MembershipFactory(user=user, company=company)
            draft = Application.objects.filter(created_by=user, status=Status.DRAFT).first()
            if draft is None:
                draft = vouchers.application_create(company=membership.company, by=user, phase=phase)
            entries.append({"email": user.email, "company": membership.company_id, "draft": draft.pk})
        accounts["company"] = entries

        cases = Case.objects.exclude(status="closed").order_by("pk").values_list("pk", flat=True)
        coaches = users("coach", Role.COACH, partner=lead)
        accounts["coach"] = []
        for coach, case in zip(coaches, cases.iterator(), strict=False):
            Case.objects.filter(pk=case).update(coach=coach)
            accounts["coach"].append({"email": coach.email, "case": case})

        submitted = list(
            Application.objects.filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW]).values_list("pk", flat=True)[
                : counts["staff"]
            ]
        )
        accounts["staff"] = [
            {"email": user.email, "application": submitted[index % len(submitted)]}
            for index, user in enumerate(users("staff", Role.STAFF, partner=lead))
        ]
        accounts["funder"] = [{"email": user.email} for user in users("funder", Role.FUNDER)]
    return accounts


def run_step(args, base: str, accounts_file: str, people: int, directory: str) -> list[dict]:
    """One Locust run at ``people``: ramp up, reset the statistics, measure; the rows of its CSV."""
    spawn_rate = max(5, people // 10)
    ramp = people / spawn_rate
    prefix = str(Path(directory) / f"step{people}")
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "--host", base, "-u", str(people), "-r", str(spawn_rate), "-t", f"{int(ramp + args.seconds)}s",
        "--reset-stats", "--csv", prefix, "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, "LOCUST_ACCOUNTS": accounts_file}, check=False, capture_output=True
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    """A percentile of Locust's CSV: "N/A" for a page that got no request in the step."""
    return 0.0 if text in ("", "N/A") else float(text)


def _row(row: dict) -> dict:
    return {
        "name": row["Name"],
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": _number(row["50%"]),
        "p95": _number(row["95%"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--steps", default="50,100,200,400,800", help="numbers of simulated people, ascending")
    parser.add_argument("--seconds", type=int, default=60, help="measuring time per step, after the ramp-up")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database of generate_scale_data.py")
    os.environ["DATABASE_URL"] = args.database_url
    steps = [int(value) for value in args.steps.split(",")]
    accounts = prepare_accounts(max(steps))
    results, held, missed = [], None, None
    with tempfile.TemporaryDirectory() as directory:
        accounts_file = str(Path(directory) / "accounts.json")
        Path(accounts_file).write_text(json.dumps(accounts))
        # As behind the TLS proxy of production: each simulated person comes from an address of their
        # own (X-Forwarded-For, locustfile.py), so allauth's per-address log-in limits apply per person.
        process, base = start_gunicorn(args, directory, ALLAUTH_TRUSTED_PROXY_COUNT="1")
        try:
            for people in steps:
                rows = [_row(row) for row in run_step(args, base, accounts_file, people, directory)]
                total = next(row for row in rows if row["name"] == "Aggregated")
                ok = total["failures"] == 0 and total["p95"] < TARGET_P95_MS
                results.append((people, total, ok))
                print(f"  {people} people: {total['rps']:.1f} req/s, p95 {total['p95']:.0f} ms, "
                      f"{total['failures']} errors", file=sys.stderr)  # fmt: skip
                if not ok:
                    missed = (people, rows)
                    break
                held = (people, rows)
        finally:
            process.terminate()
            process.wait(timeout=60)
            shutil.rmtree(directory, ignore_errors=True)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\ngunicorn {args.workers} sync workers, {args.seconds} s per step, {os.cpu_count()} CPUs, load {load}\n")
    print("| people | req/s | p50 ms | p95 ms | errors | held |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    for people, total, ok in results:
        print(f"| {people} | {total['rps']:.1f} | {total['p50']:.0f} | {total['p95']:.0f} | {total['failures']} | "
              f"{'yes' if ok else 'no'} |")  # fmt: skip
    for title, step in (("the most that held", held), ("the first step that did not hold", missed)):
        if step is None:
            continue
        people, rows = step
        print(f"\nPer page at {people} people ({title}):\n")
        print("| page | requests | req/s | p50 ms | p95 ms | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for row in sorted(rows, key=lambda row: row["name"]):
            print(f"| {row['name']} | {row['requests']} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} | "
                  f"{row['failures']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
