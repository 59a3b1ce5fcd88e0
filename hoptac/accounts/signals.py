"""API tokens follow the account (docs/decisions/0022-authentication-audit.md): signing out (page or API) or
changing the password revokes every API token of the user."""

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services
from .models import User


@receiver(user_logged_out, dispatch_uid="hoptac.accounts.revoke_tokens_on_logout")
def revoke_tokens_on_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None and user.pk:
        services.api_tokens_revoke(user=user)


@receiver(post_save, sender=User, dispatch_uid="hoptac.accounts.revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if not created and getattr(instance, "_hoptac_password_changed", False):
        instance._hoptac_password_changed = False
        services.api_tokens_revoke(user=instance)
