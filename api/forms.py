import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Indicator import NRW.BANK”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what it needs."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        # A date input takes and shows ISO dates whatever the language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most one year from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=90)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create token")))

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS):
            raise forms.ValidationError(_("A token is valid for at most one year."))
        return day

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, local time."""
        end = datetime.datetime.combine(self.cleaned_data["expires_on"], datetime.time(23, 59, 59))
        return timezone.make_aware(end)
