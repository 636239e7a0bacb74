"""The same English word means different things in different apps; each keeps its own German word.

Django merges every app's catalogue into one per language, so without a context only one German
translation of "Cancelled" or "Done" survives, whichever app comes first.
"""

import pytest
from django.utils import translation

from coaching.choices import SessionStatus
from innoscheck.workflow import Status
from reporting.models import ReportStatus
from reporting.workflow import REPORT


@pytest.mark.parametrize(
    ("label", "german"),
    [
        (lambda: SessionStatus.CANCELLED.label, "Abgesagt"),
        (lambda: Status.CANCELLED.label, "Storniert"),
        (lambda: ReportStatus.DONE.label, "Fertig"),
        (lambda: REPORT["request"].label, "Anfordern"),
    ],
)
def test_each_app_keeps_its_own_german_word(label, german):
    with translation.override("de"):
        assert str(label()) == german
    with translation.override("en"):
        assert str(label()) != german


def test_the_event_register_button_the_sign_up_link_and_a_done_next_step_differ():
    with translation.override("de"):
        assert str(translation.pgettext("event", "Register")) == "Anmelden"
        assert translation.gettext("Register") == "Registrieren"
        assert translation.pgettext("next step", "Done") == "Erledigt"
