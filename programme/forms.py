"""Forms of workflow transitions: each gets the object it acts on (``subject``) and passes its fields
to the transition's service as keyword arguments, so a field's name is the service's argument."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TransitionForm(forms.Form):
    def __init__(self, *args, subject=None, **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)


class EmptyForm(TransitionForm):
    """A transition that needs nothing but the confirming click."""


class NoteForm(TransitionForm):
    note = forms.CharField(label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(TransitionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
