from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        """Sign-up with a registered address answers in the time a new account takes.

        allauth then creates nothing and mails the owner instead (ACCOUNT_PREVENT_ENUMERATION), but
        creating an account hashes the password, most of a sign-up's time (Argon2id: about 20 ms). The
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


def _code_already_used(user, code: str) -> bool:
    """The user's current TOTP code, but it was already used (allauth remembers used codes for one period)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code:
        return False
    totp = authenticator.wrap()
    if not validate_totp_code(decrypt(authenticator.data["secret"]), code):
        return False
    return cache.get(totp._get_used_cache_key(code)) is not None


class _SaysWhenACodeWasUsed:
    def clean_code(self):
        try:
            return super().clean_code()
        except forms.ValidationError:
            if _code_already_used(self.user, self.data.get("code", "")):
                raise forms.ValidationError(
                    _(
                        "This code has already been used. Please wait for the next code in your "
                        "authenticator app (a new one appears every 30 seconds) and enter that one."
                    ),
                    code="code_already_used",
                ) from None
            raise


class TOTPAuthenticateForm(_SaysWhenACodeWasUsed, AuthenticateForm):
    """The second login step: a code used a moment ago is named as such, not as a wrong code."""


class TOTPReauthenticateForm(_SaysWhenACodeWasUsed, ReauthenticateForm):
    """Confirming a sensitive step with a code: as at login."""
