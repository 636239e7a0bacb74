"""The workflow idiom: declarations are complete and consistent, and only apply() moves a state."""

import ast
import inspect
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from coaching.workflow import CASE
from innoscheck.workflow import VOUCHER
from programme import events
from programme.models import WorkflowEvent
from programme.workflow import TransitionNotAllowed
from reporting.workflow import REPORT

WORKFLOWS = [VOUCHER, CASE, REPORT]
APPS = ["accounts", "companies", "coaching", "innoscheck", "reporting", "programme"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda workflow: workflow.name)
def test_every_transition_offered_on_a_page_has_a_form_and_a_service_that_takes_its_fields(workflow):
    for transition in workflow.transitions:
        if not transition.allowed:
            assert not transition.form and not transition.service, f"{transition.name}: system steps have no page"
            continue
        assert transition.form and transition.service, f"{workflow.name}.{transition.name} needs a form and a service"
        transition.resolved("allowed")
        form = transition.resolved("form")()
        parameters = inspect.signature(transition.resolved("service")).parameters
        expected = {workflow.object_argument, "by", *form.fields}
        assert set(parameters) >= expected, f"{transition.service} does not take {expected - set(parameters)}"
        required = {name for name, p in parameters.items() if p.default is inspect.Parameter.empty}
        assert required <= expected, f"{transition.service} needs {required - expected}, which its form lacks"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda workflow: workflow.name)
def test_every_event_model_extends_the_one_abstract_event(workflow):
    """Who, when, which transition, from, to, note: the same fields under the same names in every app."""
    model = workflow._events
    assert issubclass(model, WorkflowEvent)
    subject = model._meta.get_field(workflow.object_argument)
    assert subject.many_to_one
    # The state is the workflow's: no model form or admin page can set it.
    assert not subject.related_model._meta.get_field(workflow.state_field).editable
    inherited = {field.name for field in WorkflowEvent._meta.get_fields()}
    assert inherited == {"by", "at", "action", "from_state", "to_state", "note"}
    assert inherited <= {field.name for field in model._meta.get_fields()}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda workflow: workflow.name)
def test_every_transition_is_a_declared_event(workflow):
    for name in workflow.by_name:
        assert f"{workflow.name}.{name}" in events.NAMES


def _state_assignments(path: Path) -> list[str]:
    """``x.status = ...`` and ``.update(status=...)`` in a module: where a state could be set by hand."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        )
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                found.append(f"{path}:{node.lineno} {ast.unparse(target)} =")
        is_update = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
        if is_update and any(keyword.arg == "status" for keyword in node.keywords):
            found.append(f"{path}:{node.lineno} .update(status=...)")
    return found


def test_nothing_but_the_workflow_sets_a_state():
    # A coaching session's status is not one of the three workflows (planned/held is recorded by its services).
    allowed = {"session.status ="}
    root = Path(settings.BASE_DIR)
    offenders = [
        line
        for app in APPS
        for path in sorted((root / app).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for line in _state_assignments(path)
        if not any(line.endswith(ok) for ok in allowed)
    ]
    assert offenders == []


@pytest.fixture
def published():
    seen = []

    def handler(name, **payload):
        seen.append((name, payload))

    events.subscribe(handler)
    yield seen
    events.unsubscribe(handler)


@pytest.mark.django_db
def test_apply_checks_the_state_records_one_event_and_publishes_it(published):
    from accounts.tests.factories import StaffFactory
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.workflow import Status

    application = ApplicationFactory(status=Status.SUBMITTED)
    staff = StaffFactory()
    event = VOUCHER.apply(application, "start_review", by=staff, note="Los")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert (event.action, event.by, event.from_state, event.to_state, event.note) == (
        "start_review",
        staff,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        "Los",
    )
    assert published == [("voucher.start_review", {"application": application, "event": event, "by": staff})]
    with pytest.raises(TransitionNotAllowed):
        VOUCHER.apply(application, "submit", by=staff)
    assert application.events.count() == 1


@pytest.mark.django_db
def test_available_follows_the_state_and_the_permission(world):
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.workflow import Status

    application = ApplicationFactory(company=world.company_a, status=Status.IN_REVIEW, requested_amount=Decimal(5000))
    names = lambda role: [t.name for t in VOUCHER.available(world.users[role], application)]  # noqa: E731
    assert names("staff") == ["request_changes", "approve", "reject"]
    assert names("member_a") == ["withdraw"]
    assert names("staff_other") == names("member_b") == names("coach") == names("funder") == []
