from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        """Sign-up with a registered address answers in the time a new account takes.

        allauth then creates nothing and mails the owner instead (ACCOUNT_PREVENT_ENUMERATION), but
        creating an account hashes the password, most of a sign-up's time (Argon2: about 0.4 s). The
        same hash, thrown away, keeps the answer's time from telling that the address is registered.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class AccountErasureForm(forms.Form):
    """Erasing an account needs the current password and an explicit confirmation."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased and that this cannot be undone."),
        required=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_action = reverse("privacy_erase")
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("erase", _("Erase my account"), css_class="btn-danger"))

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
