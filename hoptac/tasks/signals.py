"""The tasks app's answer to a plan being loaded: the follow-up rows are written when the plan changes, never
when a page is read."""

from django.dispatch import receiver

from hoptac.plans.signals import plan_loaded

from .models import Agency
from .services import assignments_ensure


@receiver(plan_loaded)
def _plan_loaded(sender, plan, **kwargs) -> None:
    """Each task of the plan gets its follow-up row (TaskAssignment) as the plan states it. Before any agency
    is loaded the plan's lead cannot be matched: the rows are then made when the agencies file is loaded
    (services.agency_file_load), or by the next periods refresh."""
    if Agency.objects.exists():
        assignments_ensure(plan=plan)
