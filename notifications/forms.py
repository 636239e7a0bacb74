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
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg", "class": "form-control"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}), max_length=5000
    )
    files = MultipleFileField(label=_("Files (PDF, PNG, JPEG)"), required=False)
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the company)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, may_write_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write_internal:
            del self.fields["internal"]
