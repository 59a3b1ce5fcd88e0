"""Who sees which reporting periods and who may do what with tasks and reports: the one place these
rights are decided (pages, API, exports and reminders all call it).

* Provincial officers, administrators and viewers without areas see every period.
* Commune officers (and viewers limited to areas) see the periods of their own agency and of the People's
  Committees of their areas.
* A user reports for their agency; a commune officer also for the People's Committee of their communes.
* Provincial officers of a coordinating agency (the standing agency) assign tasks, accept or return
  reports and hand over a merged agency's work; administrators may too. Nobody reviews their own report.
"""

from typing import TYPE_CHECKING

from django.db.models import Q

from .choices import AgencyKind

if TYPE_CHECKING:
    from hoptac.accounts.models import User

LOCAL_KINDS = [AgencyKind.COMMUNE_COMMITTEE, AgencyKind.DISTRICT_COMMITTEE]


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _is_admin(user) -> bool:
    from hoptac.accounts.models import Role

    return user.is_superuser or user.role == Role.ADMIN


def user_area_ids(user: "User") -> set[int]:
    """The user's areas and every commune inside them."""
    from hoptac.registry.scoping import user_commune_ids

    cached = getattr(user, "_hoptac_task_area_ids", None)
    if cached is None:
        cached = set(user.areas.values_list("pk", flat=True)) | user_commune_ids(user)
        setattr(user, "_hoptac_task_area_ids", cached)  # noqa: B010 — a per-request cache on the user
    return cached


def user_agency_ids(user: "User") -> set[int]:
    """The agencies a user reports for: their own, and for a commune officer the People's Committees of
    their areas."""
    from hoptac.accounts.models import Role

    from .models import Agency

    if not _active(user):
        return set()
    ids = {user.agency_id} if user.agency_id else set()
    if user.role == Role.COMMUNE:
        areas = user_area_ids(user)
        if areas:
            ids |= set(
                Agency.objects.filter(kind__in=LOCAL_KINDS, area__in=areas).values_list("pk", flat=True)
            )
    return ids


def period_scope_filter(user: "User", *, prefix: str = "") -> Q | None:
    """A Q over ReportingPeriod (with `prefix`, e.g. "period__") for the periods `user` may see, or None
    for all."""
    from hoptac.accounts.models import Role

    none = Q(pk__in=[])
    if not _active(user):
        return none
    if _is_admin(user) or user.role == Role.PROVINCE:
        return None
    if user.role == Role.VIEWER and not user.areas.exists():
        return None
    if user.role == Role.REPRESENTATIVE:
        return none
    condition = Q(**{f"{prefix}agency__in": user_agency_ids(user)})
    areas = user_area_ids(user)
    if areas:
        condition |= Q(**{f"{prefix}agency__area__in": areas})
    return condition


def agency_scope_filter(user: "User") -> Q | None:
    """Agencies whose lists and scorecards the user may see (same rule as periods)."""
    condition = period_scope_filter(user, prefix="")
    if condition is None:
        return None
    from hoptac.accounts.models import Role

    if not _active(user) or user.role == Role.REPRESENTATIVE:
        return Q(pk__in=[])
    areas = user_area_ids(user)
    result = Q(pk__in=user_agency_ids(user))
    if areas:
        result |= Q(area__in=areas)
    return result


def can_report_for(user: "User", agency_id: int | None) -> bool:
    from hoptac.accounts.models import Role

    if not _active(user) or agency_id is None:
        return False
    if _is_admin(user):
        return True
    if user.role in (Role.VIEWER, Role.REPRESENTATIVE):
        return False
    return agency_id in user_agency_ids(user)


def is_coordinator(user: "User") -> bool:
    """A provincial officer of a coordinating agency, or an administrator."""
    from hoptac.accounts.models import Role

    if not _active(user):
        return False
    if _is_admin(user):
        return True
    return user.role == Role.PROVINCE and user.agency_id is not None and user.agency.coordinates


def can_review(user: "User", report=None) -> bool:
    if not is_coordinator(user):
        return False
    return report is None or report.submitted_by_id != user.pk


def can_assign(user: "User") -> bool:
    return is_coordinator(user)
