"""The plans app's kind of data file: plan files (hoptac.core.datafiles; format in docs/plan-file.md)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts.models import User
from hoptac.core.datafiles import CREATED, UNCHANGED, UPDATED, DataKind, Loaded, register

from .models import Plan
from .services import plan_load


def load(*, text: str, name: str, user: User | None = None) -> Loaded:
    """Plans are loaded by the `load_data` command only: no page uploads a plan file."""
    if user is not None:
        raise PermissionDenied
    before = dict(Plan.objects.values_list("code", "source_sha256"))
    plan = plan_load(text=text, source=name)
    status = (
        CREATED
        if plan.code not in before
        else UNCHANGED
        if before[plan.code] == plan.source_sha256
        else UPDATED
    )
    summary = _("plan %(number)s: %(sections)s sections, %(targets)s targets, %(tasks)s tasks") % {
        "number": plan.number,
        "sections": plan.sections.count(),
        "targets": plan.targets.count(),
        "tasks": plan.tasks.count(),
    }
    return Loaded(plan, status, summary)


PLANS = register(DataKind(name="plans", label=gettext_lazy("plan"), load=load))
