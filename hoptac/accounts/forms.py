"""Forms of the account pages: sign-in and the personal API token."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from . import services
from .models import User


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ApiTokenForm(forms.Form):
    """Create the user's API token, or replace it (the old token stops working at once)."""

    def save(self, *, user: User) -> tuple[AuthToken, str]:
        return services.api_token_renew(user=user)


class CodeForm(forms.Form):
    """The six-digit code of an authenticator app (two-step sign-in)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class PasswordConfirmForm(forms.Form):
    """The account's password, asked again before two-step sign-in is turned off."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NotificationPreferenceForm(forms.Form):
    """A person's choice: notifications in HợpTác and by e-mail, or in HợpTác only (the bell)."""

    notify_by_email = forms.TypedChoiceField(
        label=_("How do you want to be told?"),
        choices=[("1", _("In HợpTác and by e-mail")), ("0", _("Only in HợpTác (the bell)"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_user(cls, user: User) -> "NotificationPreferenceForm":
        return cls(initial={"notify_by_email": "1" if user.notify_by_email else "0"})
