"""Keep each status change's `effective_to` right whatever saved it (services, admin inlines, tests)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StatusChange, status_periods_refresh


@receiver(post_save, sender=StatusChange)
@receiver(post_delete, sender=StatusChange)
def _status_periods_changed(sender, instance: StatusChange, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    status_periods_refresh([instance.organisation_id])
