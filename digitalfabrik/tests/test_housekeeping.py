"""The daily clean-up deletes expired sessions and form tokens no session can send, and nothing else."""

import datetime
import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tests.factories import UserFactory
from digitalfabrik.models import SubmittedForm
from digitalfabrik.once import earlier_result
from digitalfabrik.tasks import clean_up

pytestmark = pytest.mark.django_db


def _session(expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store["who"] = "someone"
    store.set_expiry(expires_in)
    store.create()
    return store.session_key


def _form_token(user, age: datetime.timedelta) -> uuid.UUID:
    token = uuid.uuid4()
    SubmittedForm.objects.create(token=token, user=user, result_url=f"/done/{token}/")
    SubmittedForm.objects.filter(token=token).update(created_at=timezone.now() - age)
    return token


def test_the_clean_up_deletes_expired_sessions_and_form_tokens_older_than_a_session(settings):
    user = UserFactory()
    live, expired = _session(datetime.timedelta(hours=1)), _session(datetime.timedelta(seconds=-1))
    session_age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    recent = _form_token(user, session_age - datetime.timedelta(hours=1))
    old = _form_token(user, session_age + datetime.timedelta(hours=1))

    assert clean_up.apply().get() == {"sessions": 1, "form_tokens": 1}

    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert not Session.objects.filter(session_key=expired).exists()
    # A form sent again within a session's life still finds its first result.
    assert earlier_result(token=recent, user=user) == f"/done/{recent}/"
    assert earlier_result(token=old, user=user) is None


def test_a_second_run_in_the_same_day_does_nothing():
    assert clean_up.apply().get() is not None
    _session(datetime.timedelta(seconds=-1))
    assert clean_up.apply().get() is None  # the day's slot has run (digitalfabrik.schedule)
    assert Session.objects.count() == 1
