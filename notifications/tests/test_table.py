import pytest

from coaching.workflow import CASE
from innoscheck.workflow import VOUCHER
from notifications.table import AUDIENCES, TABLE, missing_entries
from programme import events
from programme.workflow import Transition, Workflow
from reporting.workflow import REPORT


def test_every_transition_of_every_workflow_has_an_entry():
    assert missing_entries([VOUCHER, CASE, REPORT]) == []


def test_a_transition_without_an_entry_is_found():
    extra = Workflow(
        name="voucher",
        object_argument="application",
        event_model="innoscheck.ApplicationEvent",
        transitions=[*VOUCHER.transitions, Transition("reopen", "Reopen", frozenset({"rejected"}), "in_review")],
    )
    assert missing_entries([extra]) == ["voucher.reopen"]
    events.NAMES.discard("voucher.reopen")


def test_every_published_event_has_an_entry():
    """Not only transitions: sessions, events, projects and messages too (an event nobody hears of is a gap)."""
    ignored = {name for name in events.NAMES if name.startswith("test.")}
    assert sorted(events.NAMES - set(TABLE) - ignored) == []


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_entry_is_an_event_that_is_published(name):
    assert name in events.NAMES
    assert all(tell.audience in AUDIENCES for tell in TABLE[name].tell)


def test_decisions_with_legal_effect_are_marked():
    legal = {name for name, entry in TABLE.items() if any(tell.legal for tell in entry.tell)}
    assert {"voucher.approve", "voucher.reject", "voucher.request_changes", "voucher.cancel"} <= legal


def test_the_readme_shows_the_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Notifications, messages and mail delivery", 1)[1].split("\n## ", 1)[0]
    assert [name for name in TABLE if f"| `{name}` |" not in section] == []
