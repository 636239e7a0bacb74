"""`manage.py check --deploy` with the production settings and the required environment: no warnings.

Production settings can only be loaded in a fresh interpreter, so each check runs ``call_command``
in a subprocess.
"""

import json
import subprocess

import pytest

from .servers import PYTHON, ROOT, production_env

# Runs `check --deploy` and prints the ids of every message at WARNING level or above as JSON.
CHECK = """
import json, django
from django.core import checks
from django.core.management import call_command
django.setup()
call_command("check", deploy=True, fail_level="CRITICAL", verbosity=0)
messages = checks.run_checks(include_deployment_checks=True)
print(json.dumps(sorted(m.id for m in messages if m.level >= checks.WARNING)))
"""


def deploy_warnings(**extra: str) -> list[str]:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", CHECK], cwd=ROOT, env=production_env(**extra), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deployment_checks():
    assert deploy_warnings() == []


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [("DJANGO_SECURE_HSTS_SECONDS", "0", "security.W004"), ("DJANGO_SECURE_SSL_REDIRECT", "false", "security.W008")],
)
def test_the_check_catches_a_weakened_setting(setting, value, warning):
    assert warning in deploy_warnings(**{setting: value})
