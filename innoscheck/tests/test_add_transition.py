"""The README's "How to add a transition", taken literally: one ``Transition`` row in the voucher's
declaration plus its service function, and nothing else. The page offers the button to the people the
row allows, the one transition view serves the row's form and calls the row's service, the event is
written and published. Here the new step is "resume_review" (staff take an application back into
review while changes are requested), which needs no new state, so no migration."""

from dataclasses import replace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innoscheck import services
from innoscheck.workflow import VOUCHER, Status
from programme import events
from programme.workflow import Transition

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

RESUME_REVIEW = Transition(
    "resume_review",
    _("Resume review"),
    frozenset({Status.CHANGES_REQUESTED}),
    Status.IN_REVIEW,
    allowed="innoscheck.permissions.reviews",
    form="programme.forms.NoteForm",
    service=f"{__name__}.application_resume_review",
    done=_("The review goes on."),
)


@transaction.atomic
def application_resume_review(*, application, by, note: str = ""):
    """The service of the new step, written as the README says (lock, check, apply, event)."""
    return services._transition(application=application, action="resume_review", by=by, note=note)


@pytest.fixture
def resume_review(monkeypatch):
    """The one new row, added to the voucher's declaration for this test only."""
    monkeypatch.setattr(VOUCHER, "transitions", [*VOUCHER.transitions, RESUME_REVIEW])
    monkeypatch.setattr(VOUCHER, "by_name", {**VOUCHER.by_name, RESUME_REVIEW.name: RESUME_REVIEW})
    # Added to the one set and taken out again: a set swapped in for the test would also swallow what
    # a module imported during it declares (the reports' events, once, went missing that way).
    events.declare("voucher.resume_review")
    published = []
    handler = events.subscribe(lambda name, **payload: published.append((name, payload["event"])))
    yield published
    events.unsubscribe(handler)
    events.NAMES.discard("voucher.resume_review")


def test_a_new_row_and_its_service_make_a_working_step(client, world, phase, resume_review):
    application = ApplicationFactory(company=world.company_a, phase=phase, status=Status.CHANGES_REQUESTED)
    detail = reverse("innoscheck:detail", args=[application.pk])
    url = reverse("innoscheck:action", args=[application.pk, "resume_review"])

    client.force_login(world.users["staff"])
    page = client.get(detail).content.decode()
    assert 'data-testid="action-resume_review"' in page and f'href="{url}"' in page
    form = client.get(url)
    assert form.status_code == 200 and 'name="note"' in form.content.decode()

    response = client.post(url, {"note": "Neue Unterlagen liegen vor."})
    assert response.status_code == 302 and response.url == detail
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    event = application.events.get(action="resume_review")
    assert (event.by, event.from_state, event.to_state, event.note) == (
        world.users["staff"],
        Status.CHANGES_REQUESTED,
        Status.IN_REVIEW,
        "Neue Unterlagen liegen vor.",
    )
    assert resume_review == [("voucher.resume_review", event)]
    # Once taken, the state no longer allows it: the page stops offering it.
    assert 'data-testid="action-resume_review"' not in client.get(detail).content.decode()


def test_the_new_row_decides_who_may_take_it(client, world, phase, resume_review):
    application = ApplicationFactory(company=world.company_a, phase=phase, status=Status.CHANGES_REQUESTED)
    url = reverse("innoscheck:action", args=[application.pk, "resume_review"])
    client.force_login(world.users["member_a"])
    assert (
        'data-testid="action-resume_review"'
        not in client.get(reverse("innoscheck:detail", args=[application.pk])).content.decode()
    )
    assert client.post(url, {"note": "Bitte noch einmal"}).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED


def test_without_the_row_the_step_does_not_exist(client, world, phase):
    application = ApplicationFactory(company=world.company_a, phase=phase, status=Status.CHANGES_REQUESTED)
    client.force_login(world.users["staff"])
    assert client.get(reverse("innoscheck:action", args=[application.pk, "resume_review"])).status_code == 404


def test_the_declaration_check_covers_the_new_row(resume_review):
    """programme/tests/test_workflow.py's check of forms against services holds for the new row too."""
    from programme.tests.test_workflow import (
        test_every_transition_offered_on_a_page_has_a_form_and_a_service_that_takes_its_fields as check,
    )

    check(VOUCHER)
    broken = replace(RESUME_REVIEW, form="innoscheck.forms.ApproveForm")
    VOUCHER.by_name["resume_review"] = broken
    VOUCHER.transitions[-1] = broken
    with pytest.raises(AssertionError):
        check(VOUCHER)
