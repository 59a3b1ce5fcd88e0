"""Forms of the account pages: sign-in and the personal API token."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
