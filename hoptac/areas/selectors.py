"""Reads over administrative units: descendants, successors, and which unit an address falls in on
either map."""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import MAP_SWITCH_DATE, AdminMap, AdminUnit, CommuneSuccession, Level


def map_in_force_on(day: datetime.date) -> str:
    return AdminMap.CURRENT if day >= MAP_SWITCH_DATE else AdminMap.LEGACY


def commune_ids_within(units: Iterable[AdminUnit]) -> set[int]:
    """Ids of every commune inside the given units (a commune counts as inside itself)."""
    ids: set[int] = set()
    for unit in units:
        if unit.level == Level.COMMUNE:
            ids.add(unit.pk)
        elif unit.level == Level.DISTRICT:
            ids.update(
                AdminUnit.objects.filter(parent=unit, level=Level.COMMUNE).values_list("pk", flat=True)
            )
        else:
            ids.update(
                AdminUnit.objects.filter(province=unit, level=Level.COMMUNE).values_list("pk", flat=True)
            )
    return ids


def communes_linked_to(ids: Iterable[int]) -> set[int]:
    """The communes on the other map of these communes: their successors and predecessors (1/7/2025)."""
    ids = set(ids)
    if not ids:
        return set()
    linked = CommuneSuccession.objects.filter(Q(old_commune__in=ids) | Q(new_commune__in=ids)).values_list(
        "old_commune", "new_commune"
    )
    return {pk for pair in linked for pk in pair} - ids


def commune_successor(*, old_commune: AdminUnit) -> AdminUnit | None:
    """The new commune that an old commune's address maps to (the default successor when it was split)."""
    succession = (
        CommuneSuccession.objects.filter(old_commune=old_commune)
        .order_by("-is_default", "new_commune__code")
        .select_related("new_commune")
        .first()
    )
    return succession.new_commune if succession else None


def commune_predecessors(*, new_commune: AdminUnit) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(successions__new_commune=new_commune).distinct()


def communes_for_choice(*, admin_map: str | None = None) -> QuerySet[AdminUnit]:
    qs = AdminUnit.objects.communes().select_related("parent")
    return qs.on_map(admin_map) if admin_map else qs


def area_list(*, admin_map: str | None = None, level: str | None = None, parent_code: str | None = None):
    qs = AdminUnit.objects.select_related("parent")
    if admin_map:
        qs = qs.filter(map=admin_map)
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs


def admin_unit_list(*, admin_map: str) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(map=admin_map).select_related("parent").order_by("name_sort")


def admin_unit_get(*, pk: int) -> AdminUnit:
    return get_object_or_404(AdminUnit.objects.select_related("parent", "province"), pk=pk)


def admin_unit_successions(*, unit: AdminUnit) -> QuerySet[CommuneSuccession]:
    """For a pre-2025 commune, the new communes that took over its territory (default first)."""
    return unit.successions.select_related("new_commune").order_by("-is_default", "new_commune__name_sort")


def admin_unit_predecessions(*, unit: AdminUnit) -> QuerySet[CommuneSuccession]:
    """For a new commune, the pre-2025 communes it was formed from."""
    return unit.predecessions.select_related("old_commune__parent").order_by(
        "old_commune__parent__name_sort", "old_commune__name_sort"
    )
