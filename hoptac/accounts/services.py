"""Writes for user accounts: API tokens (django-rest-knox: only a digest is stored, the token is shown once)."""

from django.db import transaction
from knox.models import AuthToken

from .models import User


@transaction.atomic
def api_token_renew(*, user: User) -> tuple[AuthToken, str]:
    """Create the user's API token, or replace it: every earlier token stops working at once. Returns the
    stored row and the token itself, which is not kept anywhere (only its SHA-512 digest is)."""
    api_tokens_revoke(user=user)
    return AuthToken.objects.create(user=user)


def api_tokens_revoke(*, user: User) -> int:
    """Revoke every API token of the user (sign-out, password change, a new token). Returns how many."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


def api_token_current(*, user: User) -> AuthToken | None:
    """The user's newest API token that has not expired, if any (its creation and expiry; not the token)."""
    from django.db.models import Q
    from django.utils import timezone

    return (
        AuthToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .order_by("-created")
        .first()
    )
