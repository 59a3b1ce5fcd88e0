"""Writes for user accounts."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


@transaction.atomic
def api_token_renew(*, user: User) -> Token:
    """Create the user's API token, or replace it: the old token stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
