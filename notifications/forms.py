from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind
from .services import CHOOSABLE


class PreferencesForm(forms.Form):
    """One choice per kind; decisions with legal effect are not offered (always by e-mail)."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in CHOOSABLE:
            self.fields[kind.value] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=Delivery.choices,
                initial=initial_choices.get(kind.value),
                widget=forms.RadioSelect,
            )


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)
