"""Forms of the account pages: sign-in and the personal API token."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from rest_framework.authtoken.models import Token


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ApiTokenForm(forms.Form):
    """Create the user's API token, or replace it (the old token stops working at once)."""

    @transaction.atomic
    def save(self, *, user) -> Token:
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
