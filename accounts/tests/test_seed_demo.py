"""`make run` prints the demo log-ins last, in one language, with no demo e-mail in between."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_log_in_list_comes_last_in_english_without_demo_mails(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    with translation.override("de"):
        call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "Subject:" not in text and "Content-Type" not in text
    lines = text.strip().splitlines()
    assert lines[-1].startswith("Staff, coaches, the funder and the admin log in with a second factor")
    logins = [line for line in lines if re.match(r"^  \S+@\S+ ", line)]
    assert logins and any("coach.dortmund@" in line for line in logins)
    # One language: the roles in English like the rest, though the command ran in German.
    assert any(line.endswith("Programme staff") for line in logins)
    assert not any(re.search(r"Programmteam|Fördermittelgeber|Unternehmensmitglied", line) for line in logins)
