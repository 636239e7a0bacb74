from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import AmountField
from programme.choices import Topic
from programme.forms import TransitionForm

from .files import validate_upload
from .models import Application, AttachmentKind, DeMinimisDeclaration, Expert

DAYS = {"min_value": 0, "max_digits": 5, "decimal_places": 1}
MONEY = {"min_value": 0, "max_digits": 12, "decimal_places": 2}


def _helper(submit_label=None, *, form_tag=True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if submit_label:
        helper.add_input(Submit("submit", submit_label))
    return helper


def _positive(value, message):
    if value is not None and value <= 0:
        raise ValidationError(message)
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplicationStartForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=None, empty_label=None)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.helper = _helper(_("Start the application"))


class ProjectForm(forms.ModelForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "---------"), *Topic.choices])

    class Meta:
        model = Application
        fields = ["topic", "title", "description", "goals", "coaching_case"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["coaching_case"].queryset = self.instance.company.coaching_cases.all()
        self.fields["coaching_case"].help_text = _("Optional: the InnovationCoach case this project grew out of.")
        self.helper = _helper(_("Save and continue"))


class PlannedStepForm(forms.Form):
    description = forms.CharField(label=_("Step"), max_length=300)
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start < timezone.localdate():
            raise ValidationError(_("A planned step cannot start in the past."))
        return start

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return cleaned


class _StepFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.forms):
            raise ValidationError(_("Plan at least one step."))


PlannedStepFormSet = forms.formset_factory(PlannedStepForm, formset=_StepFormSet, extra=2, can_delete=True)


class ExpertChoiceForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert from the register"), queryset=Expert.objects.none(), required=False)
    new_expert_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_expert_firm = forms.CharField(label=_("Firm"), max_length=200, required=False)
    new_expert_email = forms.EmailField(label=_("E-mail"), required=False)
    new_expert_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    expert_days = AmountField(label=_("Expert days"), **DAYS)
    daily_rate = AmountField(label=_("Daily rate (EUR)"), **MONEY)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        experts = Expert.objects.filter(confirmed=True)
        if application.expert_id:
            experts = Expert.objects.filter(pk=application.expert_id) | experts
        self.fields["expert"].queryset = experts.order_by("name")
        self.helper = _helper(_("Save and continue"))

    def clean_expert_days(self):
        return _positive(self.cleaned_data["expert_days"], _("Enter a number of days greater than zero."))

    def clean_daily_rate(self):
        return _positive(self.cleaned_data["daily_rate"], _("Enter a daily rate greater than zero."))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("expert") and not cleaned.get("new_expert_name"):
            raise ValidationError(_("Choose an expert from the register or name a new one."))
        if cleaned.get("expert") and cleaned.get("new_expert_name"):
            raise ValidationError(_("Choose an expert from the register or name a new one, not both."))
        return cleaned


class SmeDeclarationForm(forms.Form):
    sme_confirmed = forms.BooleanField(
        label=_(
            "I confirm that the company is a small or medium-sized enterprise under the EU definition, "
            "partner and linked enterprises included, as stated in the profile."
        ),
        required=False,
    )
    deminimis_declaration = forms.ChoiceField(
        label=_("De-minimis aid in the last three years"),
        choices=DeMinimisDeclaration.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(form_tag=False)


class DeMinimisAidForm(forms.Form):
    granted_on = forms.DateField(label=_("Granted on"), widget=DateInput())
    grantor = forms.CharField(label=_("Grantor"), max_length=200)
    amount = AmountField(label=_("Amount (EUR)"), **MONEY)

    def clean_granted_on(self):
        granted_on = self.cleaned_data["granted_on"]
        if granted_on > timezone.localdate():
            raise ValidationError(_("Aid cannot be granted in the future."))
        return granted_on

    def clean_amount(self):
        return _positive(self.cleaned_data["amount"], _("Enter an amount greater than zero."))


DeMinimisAidFormSet = forms.formset_factory(DeMinimisAidForm, extra=2, can_delete=True)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (AttachmentKind.QUOTE, AttachmentKind.QUOTE.label),
            (AttachmentKind.OTHER, AttachmentKind.OTHER.label),
        ],
    )
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") is not None and cleaned.get("kind"):
            try:
                validate_upload(cleaned["file"], kind=cleaned["kind"])
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned


class MessageForm(TransitionForm):
    message = forms.CharField(label=_("What should the company change?"), widget=forms.Textarea(attrs={"rows": 4}))


class ApproveForm(TransitionForm):
    amount = AmountField(label=_("Approved amount (EUR)"), **MONEY)
    note = forms.CharField(label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = self.subject.requested_amount if self.subject else None

    def clean_amount(self):
        return _positive(self.cleaned_data["amount"], _("Enter an amount greater than zero."))


class VerifyForm(TransitionForm):
    amount = AmountField(label=_("Amount to pay out (EUR)"), **MONEY)
    note = forms.CharField(label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.subject:
            self.fields["amount"].initial = (
                min(self.subject.actual_amount or 0, self.subject.approved_amount or 0) or None
            )

    def clean_amount(self):
        return _positive(self.cleaned_data["amount"], _("Enter an amount greater than zero."))


class ProofForm(TransitionForm):
    actual_days = AmountField(label=_("Expert days actually worked"), **DAYS)
    actual_amount = AmountField(label=_("Invoiced amount (EUR)"), **MONEY)
    report = forms.FileField(label=_("Expert's report (PDF, PNG or JPEG)"), allow_empty_file=True)
    invoice = forms.FileField(label=_("Invoice (PDF)"), allow_empty_file=True)
    note = forms.CharField(label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_actual_days(self):
        return _positive(self.cleaned_data["actual_days"], _("Enter a number of days greater than zero."))

    def clean_actual_amount(self):
        return _positive(self.cleaned_data["actual_amount"], _("Enter an amount greater than zero."))

    def clean_report(self):
        validate_upload(self.cleaned_data["report"], kind=AttachmentKind.REPORT)
        return self.cleaned_data["report"]

    def clean_invoice(self):
        validate_upload(self.cleaned_data["invoice"], kind=AttachmentKind.INVOICE)
        return self.cleaned_data["invoice"]


class ExpertForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    daily_rate = AmountField(label=_("Daily rate (EUR)"), **MONEY)

    class Meta:
        model = Expert
        fields = ["name", "firm", "topics", "email", "phone", "daily_rate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))
