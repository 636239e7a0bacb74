from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Company
from digitalfabrik.forms import AmountField
from digitalfabrik.once import SubmitOnceMixin
from programme.forms import TransitionForm

from .choices import CaseOutcome
from .models import MAX_SESSION_HOURS, Case, Event, Project
from .services import coaches

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if form_tag:
        helper.add_input(Submit("submit", label))
    return helper


def _offer_own_companies(field: forms.ModelChoiceField, user) -> None:
    """The companies ``user`` is a member of; preselected when there is only one."""
    field.queryset = Company.objects.filter(memberships__user=user)
    companies = list(field.queryset[:2])
    if len(companies) == 1:
        field.initial = companies[0]


class CaseRequestFieldsForm(forms.ModelForm):
    """What a coaching request says (the API's form; the page adds the once-only token)."""

    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())

    class Meta:
        model = Case
        fields = ["company", "topic", "description", "preferred_form", "preferred_dates"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"preferred_dates": _("For example: Tuesdays or Thursdays in the morning, from 1 March.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_own_companies(self.fields["company"], user)
        self.helper = _helper(_("Request coaching"))


class CaseRequestForm(SubmitOnceMixin, CaseRequestFieldsForm):
    """The page's form: sent twice (double click, two tabs), it files one request."""


class AssignForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=coaches())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Assign"))


class AddCoachForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Add a coach"), queryset=coaches())

    def __init__(self, *args, **kwargs):
        # Shown below AssignForm, whose field is also "coach": own ids, so each label names its own select.
        kwargs.setdefault("auto_id", "id_add_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add coach"))


class CloseForm(TransitionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in CaseOutcome.choices if c[0] != CaseOutcome.CANCELLED]
    )
    note = forms.CharField(label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SessionPlanForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    duration_hours = AmountField(
        label=_("Duration (hours)"), max_digits=4, decimal_places=2, min_value=0, max_value=MAX_SESSION_HOURS
    )
    form = forms.ChoiceField(label=_("Form"), choices=Case._meta.get_field("preferred_form").choices)
    location = forms.CharField(label=_("Place or link"), required=False)

    submit_label = _("Plan session")

    def clean_duration_hours(self):
        duration = self.cleaned_data["duration_hours"]
        if duration <= 0:
            raise forms.ValidationError(_("The duration must be more than 0 and at most 12 hours."))
        return duration

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self.submit_label)


class SessionRescheduleForm(SessionPlanForm):
    submit_label = _("Reschedule and send the updated invitation")


class SessionCancelForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (shown to the company)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Cancel session and inform the company"))


class SessionRecordForm(SessionPlanForm):
    shared_notes = forms.CharField(
        label=_("Notes shared with the company"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    internal_notes = forms.CharField(
        label=_("Internal notes (never shown to the company)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("", form_tag=False)


class SessionCorrectForm(SessionRecordForm):
    note = forms.CharField(
        label=_("Reason for the correction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class _RowForm(forms.Form):
    """One row of a list that grows in the browser: an empty row is skipped, a half-filled one is an error."""

    def clean(self):
        data = super().clean()
        filled = [name for name in self.fields if data.get(name) not in (None, "")]
        if filled and len(filled) < len(self.fields):
            for name in self.fields:
                if name not in filled and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return data

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)


class ParticipantForm(_RowForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class NextStepForm(_RowForm):
    description = forms.CharField(label=_("Next step"), max_length=500, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET, required=False)


# A few blank rows without JavaScript; static/js/formset_rows.js adds more on demand.
ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=3)
NextStepFormSet = forms.formset_factory(NextStepForm, extra=3)


def filled_rows(formset) -> list[dict]:
    """The cleaned data of a valid formset's rows, blank rows left out."""
    return [form.cleaned_data for form in formset if form.cleaned_data and not form.is_blank]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "kind", "topic", "starts_at", "place", "organiser", "capacity", "description"]
        widgets = {"starts_at": DATETIME_WIDGET, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save event"))


class EventRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_own_companies(self.fields["company"], user)
        self.helper = _helper(pgettext_lazy("event", "Register"))


class ProjectForm(forms.ModelForm):
    companies = forms.ModelMultipleChoiceField(
        label=_("Participating companies"), queryset=Company.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=coaches())

    class Meta:
        model = Project
        fields = ["title", "topic", "coach", "description", "companies", "outcome"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save project"))


class ProjectMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("Place"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add meeting"))
