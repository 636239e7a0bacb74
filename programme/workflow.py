"""One workflow idiom for voucher applications, coaching cases and reports.

A workflow is declared once, as data (``Workflow`` with its ``Transition`` rows): the states an object
moves through, each transition's name and label, the states it leaves from and the one it leads to,
who may take it on a page (a ``can_<verb>(user, obj)`` function), the form it needs and the service
that does the work. From that one declaration

- the object's page offers the transitions ``available()`` returns (state and permission),
- the one transition view (``programme.views.transition_page``) checks the same declaration, shows
  the declared form and calls the declared service with the form's fields as keyword arguments,
- the service does its work under its row lock and calls ``apply()``, which checks the source
  state, sets the state, writes the single event (who, when, which transition, from, to, note) and
  publishes ``"<workflow>.<transition>"`` (programme.events) for the apps that react to it.

Nothing but ``apply()`` assigns a state field (``programme/tests/test_workflow.py`` checks the code).
Adding a transition is one ``Transition`` row plus its service function.

Why not django-fsm-2: it makes transitions model methods, while our rules (budget row locks, voucher
numbers, eligibility) live in services; here the declaration is data the page, the view, the
permission check and the service all read, in ~150 lines.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import events


class TransitionNotAllowed(ValidationError):
    """The object is not in a state from which this transition may be taken."""


@dataclass(frozen=True)
class Transition:
    """One step of a workflow. ``allowed``, ``form`` and ``service`` are dotted paths, resolved when
    first used (the declaration sits below the modules it names). A transition without ``allowed`` is
    taken only by the system (a scheduled task, a worker) and never offered on a page."""

    name: str
    label: Any
    sources: frozenset
    target: str
    allowed: str = ""
    form: str = ""
    service: str = ""
    # Bootstrap button style on the object's page.
    style: str = "outline-primary"
    # What the person is told once it is done ("The application has been approved.").
    done: Any = ""

    def resolved(self, attribute: str) -> Callable:
        return import_string(getattr(self, attribute))


@dataclass
class Workflow:
    """The transitions of one kind of object, keyed by name.

    ``event_model`` is the app label and model name of the object's event model (it extends
    programme.models.WorkflowEvent and has a foreign key named ``object_argument`` to the object).
    """

    name: str
    object_argument: str
    event_model: str
    transitions: list[Transition]
    state_field: str = "status"
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self):
        self.by_name = {transition.name: transition for transition in self.transitions}
        events.declare(*(f"{self.name}.{name}" for name in self.by_name))

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    @cached_property
    def _events(self):
        return apps.get_model(self.event_model)

    def state(self, obj) -> str:
        return getattr(obj, self.state_field)

    def may(self, user, obj, name: str) -> bool:
        """Whether ``user`` may take transition ``name`` on ``obj`` from a page (whatever its state)."""
        transition = self.by_name.get(name)
        return bool(transition and transition.allowed and transition.resolved("allowed")(user, obj))

    def can(self, user, obj, name: str) -> bool:
        """``may``, and ``obj`` is in a state the transition leaves from."""
        return self.may(user, obj, name) and self.state(obj) in self[name].sources

    def available(self, user, obj) -> list[Transition]:
        """The transitions the object's page offers ``user`` now, in declaration order."""
        return [transition for transition in self.transitions if self.can(user, obj, transition.name)]

    def not_allowed_error(self, obj, name: str) -> TransitionNotAllowed:
        state = self.state(obj)
        label = dict(type(obj)._meta.get_field(self.state_field).flatchoices).get(state, state)
        message = _("“%(action)s” is not possible: the state is “%(status)s”.")
        return TransitionNotAllowed(message % {"action": self[name].label, "status": label}, code="wrong_state")

    def perform(self, name: str, *, obj, by, data: dict):
        """Call the transition's service with the form's fields (the one transition view uses this)."""
        return self[name].resolved("service")(**{self.object_argument: obj}, by=by, **data)

    def apply(self, obj, name: str, *, by, note: str = "", **changes):
        """Take transition ``name`` on ``obj`` (locked by the calling service, inside its transaction).

        Checks the source state, sets ``changes`` and the target state, validates and saves, writes
        the event and publishes ``"<workflow>.<name>"``. Returns the event.
        """
        transition = self[name]
        from_state = self.state(obj)
        if from_state not in transition.sources:
            raise self.not_allowed_error(obj, name)
        for attribute, value in changes.items():
            setattr(obj, attribute, value)
        setattr(obj, self.state_field, transition.target)
        obj.full_clean()
        obj.save()
        event = self.record(obj, name, by=by, from_state=from_state, note=note)
        events.publish(f"{self.name}.{name}", **{self.object_argument: obj}, event=event, by=by)
        return event

    def created(self, obj, name: str, *, by, note: str = ""):
        """The first step of a new object (its creation service calls this after saving it): the event
        from no state to the object's initial one, published as ``"<workflow>.<name>"``. ``name`` is a
        transition with no sources, declared for the record and never offered on a page."""
        transition = self[name]
        if transition.sources or self.state(obj) != transition.target:
            raise ValueError(f"{self.name}.{name} is not the creation of a {self.state(obj)!r} object")
        event = self.record(obj, name, by=by, from_state="", note=note)
        events.publish(f"{self.name}.{name}", **{self.object_argument: obj}, event=event, by=by)
        return event

    def record(self, obj, name: str, *, by, from_state: str, note: str = ""):
        """Write the event of a step (``apply`` and ``created`` do this)."""
        return self._events.objects.create(
            **{self.object_argument: obj},
            by=by,
            action=name,
            from_state=from_state,
            to_state=self.state(obj),
            note=note,
        )
