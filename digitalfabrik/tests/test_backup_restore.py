"""scripts/backup-restore-test on the test database: dump, restore into a fresh database, same row counts."""

import subprocess

import pytest
from django.conf import settings


@pytest.mark.django_db(transaction=True)
def test_backup_restores_with_identical_row_counts(world, tmp_path):
    database = settings.DATABASES["default"]
    url = f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    result = subprocess.run(  # noqa: S603
        [settings.BASE_DIR / "scripts" / "backup-restore-test", url],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "BACKUP_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical counts" in result.stdout
    assert list(tmp_path.glob("*.dump"))
