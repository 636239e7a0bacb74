from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import AmountField
from digitalfabrik.once import SubmitOnceMixin
from programme.models import PartnerOrganisation

from .models import Company
from .services import DUPLICATE_COMPANY, PROFILE_FIELDS, company_duplicate_exists


class CompanyForm(forms.ModelForm):
    staff_headcount = AmountField(
        label=_("Staff headcount (annual work units)"), min_value=0, max_digits=8, decimal_places=1
    )
    annual_turnover = AmountField(label=_("Annual turnover (EUR)"), min_value=0, max_digits=15, decimal_places=2)
    balance_sheet_total = AmountField(
        label=_("Balance-sheet total (EUR)"), min_value=0, max_digits=15, decimal_places=2
    )
    linked_enterprises_included = forms.BooleanField(
        label=_("I confirm that the figures include partner and linked enterprises (EU SME definition)."),
        required=True,
    )

    class Meta:
        model = Company
        fields = PROFILE_FIELDS
        widgets = {"founding_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.founding_date_confirmed:
            # Carried over from the founding year only: the company enters the day itself.
            self.initial["founding_date"] = None
            self.fields["founding_date"].help_text = _(
                "We only know the founding year (%(year)s). Please enter the exact founding date."
            ) % {"year": self.instance.founding_date.year}
        self.helper = FormHelper()
        # The server's translated messages are shown at the field instead of the browser's bubbles.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Company"), "name", "legal_form", "founding_date", "wz_section", "wz_code", "website"),
            Fieldset(_("Address"), "street", "postcode", "city", "region", "chamber"),
            Fieldset(
                _("Size (last closed financial year)"),
                "staff_headcount",
                "annual_turnover",
                "balance_sheet_total",
                "linked_enterprises_included",
            ),
            Fieldset(_("Contact person"), "contact_name", "contact_email", "contact_phone"),
        )
        self.helper.add_input(Submit("submit", _("Save company profile")))

    def clean(self):
        cleaned = super().clean()
        name, postcode = cleaned.get("name"), cleaned.get("postcode")
        if name and postcode and company_duplicate_exists(name=name, postcode=postcode, exclude_pk=self.instance.pk):
            self.add_error("name", DUPLICATE_COMPANY)
        return cleaned

    def validate_unique(self):
        """Uniqueness of name + postcode is checked in clean() with a helpful message."""


class CompanyCreateForm(SubmitOnceMixin, CompanyForm):
    """Registering a company: sent twice, it registers one company."""


class InvitationForm(SubmitOnceMixin, forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send invitation")))


class HandoverForm(forms.Form):
    to_partner = forms.ModelChoiceField(label=_("Hand over to"), queryset=PartnerOrganisation.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_partner"].queryset = PartnerOrganisation.objects.exclude(pk=company.responsible_partner_id)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Hand over")))
