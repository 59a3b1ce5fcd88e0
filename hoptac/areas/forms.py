"""Form helpers for choosing administrative units: communes grouped under their district (old map) or
province (new map), and the "area (either map)" filter of list pages."""

from collections import defaultdict

from django import forms
from django.core.exceptions import EmptyResultSet
from django.utils.translation import gettext_lazy as _

from hoptac.core import dataversion
from hoptac.core.forms import ALL, INVALID_CHOICE, QuickSelect
from hoptac.core.scoping import public

from .models import AdminMap, Level, map_period

# What an area field offers: every unit (every role reads the administrative units, areas:area_list).
AREAS = public("every role reads the administrative units (areas:area_list)")


def grouped_unit_choices(units, *, empty_label=None) -> list:
    """Choices for a <select> with one <optgroup> per parent unit (the district on the old map, the
    province on the new one), so a commune can be found under its district."""
    groups: dict[str, list] = defaultdict(list)
    order: list[str] = []
    for unit in units:
        label = (
            f"{unit.parent.name} — {map_period(unit.parent.map)}" if unit.parent_id else str(_("Provinces"))
        )
        if label not in groups:
            order.append(label)
        groups[label].append((unit.pk, unit.name))
    choices: list = [("", empty_label)] if empty_label is not None else []
    return choices + [(label, groups[label]) for label in order]


# The "area (either map)" filter of a user who reaches units of more than this many of today's provinces (a
# reader of the whole country) lists the provinces, and the districts and communes of the chosen area's province
# only: the whole country's 14,000 units would be an 800 KB <select> on every list page (decision 0045).
NARROW_ABOVE_PROVINCES = 1
NARROWED_HELP = _("Choose a province and apply the filters to choose among its districts and communes.")


def area_field_setup(
    area: forms.ModelChoiceField,
    *,
    chosen: object = None,
    empty_label: object = ALL,
    cached: bool = True,
) -> None:
    """The one "area" picker of every filter (the registry's lists, the rating calendar, the tasks calendar):
    provinces, then the old districts, then the communes grouped under their district (old map) or province
    (new map) — for a user offered units of several provinces, the districts and communes of the province of
    `chosen` (the submitted value) only (decision 0045; the calendars since 0052). `empty_label` is the first
    option ("all"). The choices are cached by data version, by the (scoped) query that lists them and by the
    chosen unit's province — unless `cached` is False, for a queryset that reads data the data version does
    not watch (the tasks' agencies); the <select> is written in one pass (core.forms.QuickSelect). Validation
    still goes through the queryset: any unit in reach is accepted, listed or not."""
    area.error_messages["invalid_choice"] = INVALID_CHOICE
    assert area.queryset is not None  # an area field always has its queryset
    units = area.queryset.order_by("map", "parent__name_sort", "level", "name_sort")
    chosen_pk = int(chosen) if isinstance(chosen, int | str) and str(chosen).isdigit() else None
    if cached:
        try:
            query = str(units.query)
        except EmptyResultSet:
            query = ""
        choices, narrowed = dataversion.cached(
            "area_choices", (query, None), lambda: _area_choices(units, None)
        )
        if narrowed and chosen_pk is not None:  # only then does the chosen unit change the list
            choices, narrowed = dataversion.cached(
                "area_choices", (query, chosen_pk), lambda: _area_choices(units, chosen_pk)
            )
    else:
        choices, narrowed = _area_choices(units, chosen_pk)
    widget = QuickSelect(attrs=area.widget.attrs)
    widget.choices = [("", str(empty_label)), *choices]
    area.widget = widget
    if narrowed:
        area.help_text = NARROWED_HELP


def _area_choices(units, chosen: int | None) -> tuple[list, bool]:
    """(the grouped choices without the empty one, whether they were narrowed to the chosen unit's
    province)."""
    provinces = list(units.filter(level=Level.PROVINCE).values_list("pk", "name", "map"))
    narrowed = (
        sum(1 for _pk, _name, on_map in provinces if on_map == AdminMap.CURRENT) > NARROW_ABOVE_PROVINCES
    )
    within = units.exclude(level=Level.PROVINCE)
    if narrowed:
        found = list(units.filter(pk=chosen).values_list("level", "province_id")) if chosen else []
        if not found:
            within = within.none()
        else:
            level, province_id = found[0]
            within = within.filter(province_id=chosen if level == Level.PROVINCE else province_id)
    rows = list(within.values_list("pk", "name", "level", "parent_id", "parent__name", "parent__map"))
    districts = [(pk, name) for pk, name, level, *_parent in rows if level == Level.DISTRICT]
    groups: dict[str, list] = defaultdict(list)
    for pk, name, level, parent_id, parent_name, parent_map in rows:
        if level == Level.COMMUNE:
            label = f"{parent_name} — {map_period(parent_map)}" if parent_id else str(_("Provinces"))
            groups[label].append((pk, name))
    choices = (
        [
            (
                str(_("Provinces")),
                [(pk, f"{name} — {map_period(on_map)}") for pk, name, on_map in provinces],
            ),
        ]
        + ([(str(_("Districts (before 1/7/2025)")), districts)] if districts or not narrowed else [])
        + list(groups.items())
    )
    return choices, narrowed
