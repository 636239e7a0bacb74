"""`make run` (README): the portal on the embedded default, SQLite with eager tasks, demo data included.

The rest of the suite runs on PostgreSQL; this test runs the same steps as `make run` in a separate
process on a fresh SQLite file, then opens every role's main pages there, so raw SQL that only
PostgreSQL understands (the indicator figures, the support facts) cannot break the first thing a
newcomer does.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PAGES = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from accounts.models import User
settings.ALLOWED_HOSTS = ["testserver"]
PAGES = {
    "funder@bezreg-arnsberg.example": ["/", "/reports/indicators/", "/reports/indicators/?preset=quarter", "/reports/"],
    "staff.dortmund@digitale-fabrik.example": ["/", "/innoscheck/review/", "/companies/", "/notifications/tasks/"],
    "coach.dortmund@digitale-fabrik.example": ["/", "/coaching/caseload/", "/coaching/queue/", "/coaching/events/"],
    "firma01@example.com": ["/", "/innoscheck/", "/coaching/requests/", "/notifications/"],
}
for email, paths in PAGES.items():
    client = Client()
    client.force_login(User.objects.get(email=email))
    for path in paths:
        status = client.get(path).status_code
        print(email, path, status)
        assert status == 200, (email, path, status)
print("all pages 200")
# A company member erases their account (free text scrubbed with REGEXP_REPLACE, PostgreSQL's on SQLite).
from accounts.privacy import account_erase
from companies.models import Company
erased = User.objects.get(email="firma02@example.com")
name = erased.get_full_name()
account_erase(user=erased)
assert not Company.history.filter(contact_name__icontains=name).exists() if name else True
print("account erased")
"""


def _manage(*args: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_make_run_seeds_the_demo_on_sqlite_and_every_role_sees_its_pages(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "CACHE_URL", "S3_BUCKET"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "digitalfabrik.settings.dev",
        # The dev settings' default database is var/db.sqlite3; this run gets its own file and media.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for step in (("migrate", "--noinput", "-v0"), ("seed_demo",)):
        done = _manage(*step, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
    assert "Demo data loaded" in done.stdout
    # Without a bucket the demo's vouchers and certificates are files on the local disk: no object storage.
    assert len(list((tmp_path / "media" / "innoscheck" / "vouchers").glob("*.pdf"))) >= 2
    pages = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PAGES],
        env=env | {"PYTHONPATH": str(settings.BASE_DIR)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pages.returncode == 0, pages.stdout[-2000:] + pages.stderr[-3000:]
    assert "all pages 200" in pages.stdout
    assert "account erased" in pages.stdout
