"""Form helpers for choosing administrative units: communes grouped under their district (old map) or
province (new map), and the "area (either map)" filter of list pages."""

from collections import defaultdict

from django import forms
from django.core.exceptions import EmptyResultSet
from django.utils.translation import gettext_lazy as _

from hoptac.core import dataversion
from hoptac.core.forms import ALL, INVALID_CHOICE
from hoptac.core.scoping import public

from .models import Level, map_period

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


def area_field_setup(area: forms.ModelChoiceField) -> None:
    """The "area (either map)" filter: provinces, then the old districts, then the communes grouped under
    their district (old map) or province (new map). The grouped choices (a thousand units on both maps, on
    every list page) are cached by data version and by the (scoped) query that lists them."""
    area.error_messages["invalid_choice"] = INVALID_CHOICE
    assert area.queryset is not None  # a filter's area field always has its queryset
    units = area.queryset.order_by("map", "parent__name_sort", "level", "name_sort")
    try:
        query = str(units.query)
    except EmptyResultSet:
        query = ""
    # Only the widget gets the grouped choices: validation still goes through the queryset.
    widget = CachedSelect(attrs=area.widget.attrs, key=query)
    widget.choices = dataversion.cached("area_choices", (query,), lambda: _area_choices(units))
    area.widget = widget


class CachedSelect(forms.Select):
    """A <select> whose HTML is rendered once per data version, list of units (`key`), name, value and
    attributes: Django renders each of a thousand <option>s through a template (~0.4 s a page)."""

    def __init__(self, *args, key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def render(self, name, value, attrs=None, renderer=None):
        parts = (
            self.key,
            name,
            repr(self.format_value(value)),
            sorted({**self.attrs, **(attrs or {})}.items()),
        )
        return dataversion.cached(
            "area_select", parts, lambda: super(CachedSelect, self).render(name, value, attrs, renderer)
        )


def _area_choices(units) -> list:
    units = list(units)
    provinces = [u for u in units if u.level == Level.PROVINCE]
    districts = [u for u in units if u.level == Level.DISTRICT]
    communes = [u for u in units if u.level == Level.COMMUNE]
    choices = (
        [("", ALL)]
        + [
            (
                _("Provinces"),
                [(u.pk, f"{u.name} — {map_period(u.map)}") for u in provinces],
            ),
            (_("Districts (before 1/7/2025)"), [(u.pk, f"{u.name}") for u in districts]),
        ]
        + grouped_unit_choices(communes)
    )
    return [
        (
            str(label),
            [(value, str(text)) for value, text in options] if isinstance(options, list) else str(options),
        )
        for label, options in choices
    ]
