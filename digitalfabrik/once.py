"""A form posted twice (double click, two tabs, a retried request) does its work once.

The form carries a one-time token (:class:`SubmitOnceMixin`). :func:`submit_once` records the token
with a unique key in the same transaction as the work, so PostgreSQL makes a second request with the
same token wait until the first one commits, and then answers it with the first one's result.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import SubmittedForm

TOKEN_FIELD = "submission_token"  # noqa: S105 (a form field's name, not a secret)


class SubmitOnceMixin(forms.Form):
    """Adds the hidden one-time token; an unbound form gets a fresh one."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(TOKEN_FIELD, uuid.uuid4())
        helper = getattr(self, "helper", None)
        if helper is not None:
            # crispy-forms leaves out hidden fields that a layout does not name.
            helper.render_hidden_fields = True


def _token(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def earlier_result(*, token, user) -> str | None:
    """Where an earlier request with this form's token landed, or None if it has not been sent."""
    token = _token(token)
    if token is None:
        return None
    submitted = SubmittedForm.objects.filter(token=token).first()
    if submitted is None:
        return None
    if submitted.user_id != user.pk:
        raise PermissionDenied
    return submitted.result_url


def submit_once(*, token: uuid.UUID, user, perform: Callable[[], str]) -> tuple[str, bool]:
    """Run ``perform`` (which returns the URL of its result) once per token.

    Returns (url, done_now): the URL of this request's result, or of the first request's when the
    token was already used. An exception in ``perform`` rolls the token back with the work, so the
    corrected form can be sent again.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                submitted = SubmittedForm.objects.create(token=token, user=user, result_url="")
        except IntegrityError:
            earlier = earlier_result(token=token, user=user)
            if earlier is None:
                raise
            return earlier, False
        submitted.result_url = perform()
        submitted.save(update_fields=["result_url"])
        return submitted.result_url, True


def repeated(url: str, request) -> HttpResponseRedirect:
    """The answer to a repeated form: the first request's result, with a word why."""
    messages.info(request, _("This form had already been sent; here is its result."))
    return redirect(url)


def redirect_if_sent(request) -> HttpResponseRedirect | None:
    """On a POST whose form was already sent: the redirect to the first request's result."""
    if request.method != "POST":
        return None
    earlier = earlier_result(token=request.POST.get(TOKEN_FIELD, ""), user=request.user)
    return repeated(earlier, request) if earlier else None
